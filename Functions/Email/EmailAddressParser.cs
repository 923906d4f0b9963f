using System.Net.Mail;

namespace ServerlessWorkflow.Functions.Email;

/// <summary>Reads configured addresses (<c>a@b</c> or <c>Name &lt;a@b&gt;</c>) and checks bare ones.</summary>
internal static class EmailAddressParser
{
    public static EmailAddress? TryParse(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)
            || text.Any(char.IsControl)
            || !MailAddress.TryCreate(text, out var parsed)
            || !IsBare(parsed.Address)
            || !(text == parsed.Address || text.EndsWith($"<{parsed.Address}>", StringComparison.Ordinal)))
        {
            // Not one address in one of the two forms (e.g. a list, or trailing text).
            return null;
        }

        return new EmailAddress(parsed.Address, string.IsNullOrWhiteSpace(parsed.DisplayName) ? null : parsed.DisplayName);
    }

    /// <summary>True for a plain <c>local@domain</c> with nothing around it: no name, no brackets, no control characters or spaces.</summary>
    public static bool IsBare(string? address) =>
        !string.IsNullOrEmpty(address)
        && !address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';')
        && MailAddress.TryCreate(address, out var parsed)
        && string.Equals(parsed.Address, address, StringComparison.Ordinal);
}
