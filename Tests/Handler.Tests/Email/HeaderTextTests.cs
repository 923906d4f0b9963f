using ServerlessWorkflow.Functions.Email;

namespace ServerlessWorkflow.Tests.Email;

public sealed class HeaderTextTests
{
    [Theory]
    [InlineData("Nhắc hạn\r\nBcc: x", "Nhắc hạn Bcc: x")]
    [InlineData("a\rb\nc\td", "a b c d")]
    [InlineData("  spaced   out  ", "spaced out")]
    [InlineData("\0nul\u0007bell\u007Fdel\u0085nel", "nul bell del nel")]
    [InlineData("line\u2028separator\u2029paragraph", "line separator paragraph")]
    [InlineData("bidi\u202Eoverride\u2066isolate\u2069", "bidi override isolate")]
    [InlineData("\r\n", "")]
    [InlineData(null, "")]
    public void Header_text_has_no_control_characters_and_single_spaces(string? input, string expected) =>
        Assert.Equal(expected, HeaderText.Clean(input));

    [Fact]
    public void Header_text_is_NFC_so_decomposed_Vietnamese_is_composed()
    {
        var decomposed = "Nhắc hạn".Normalize(System.Text.NormalizationForm.FormD);
        Assert.NotEqual("Nhắc hạn", decomposed);

        Assert.Equal("Nhắc hạn", HeaderText.Clean(decomposed));
    }
}
