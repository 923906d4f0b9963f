using ServerlessWorkflow.Functions.Pages;

namespace ServerlessWorkflow.Tests.Pages;

public sealed class HtmlTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("\" onmouseover='x'", "&quot; onmouseover=&#x27;x&#x27;")]
    [InlineData("a & b", "a &amp; b")]
    public void Interpolated_text_is_encoded(string hostile, string expected)
    {
        var markup = Html.Of($"<p title=\"{hostile}\">{hostile}</p>");

        Assert.Equal($"<p title=\"{expected}\">{expected}</p>", markup.Value);
    }

    [Fact]
    public void Vietnamese_letters_stay_letters_so_pages_stay_small()
    {
        Assert.Equal("<b>Đảng bộ phường Đống Đa</b>", Html.Of($"<b>{"Đảng bộ phường Đống Đa"}</b>").Value);
    }

    [Fact]
    public void Only_markup_holes_are_emitted_as_they_are()
    {
        var inner = Html.Of($"<i>{"<x>"}</i>");

        Assert.Equal("<p><i>&lt;x&gt;</i></p>", Html.Of($"<p>{inner}</p>").Value);
    }

    [Fact]
    public void Control_characters_are_not_emitted_raw()
    {
        var markup = Html.Of($"<p>{"a\u0000b\u001bc"}</p>");

        Assert.DoesNotContain('\u0000', markup.Value);
        Assert.DoesNotContain('\u001b', markup.Value);
    }

    [Fact]
    public void The_page_policy_allows_exactly_the_layouts_style_sheet_and_no_script()
    {
        Assert.Contains("default-src 'none'", PageLayout.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", PageLayout.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("style-src 'sha256-", PageLayout.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"vi\">", PageLayout.Render("Trang", Markup.Empty).Value, StringComparison.Ordinal);
    }
}
