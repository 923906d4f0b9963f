using System.Text.RegularExpressions;

namespace ServerlessWorkflow.Domain.Common;

/// <summary>
/// An email address: one local part of the characters RFC 5322 allows unquoted, one domain of
/// letters, digits and hyphens with at least one dot — no spaces, quotes, angle brackets, commas
/// or line breaks, since it goes into mail headers. The one rule for every address the system
/// keeps or sends to: units' addresses, the office's, the escalation list, the sender.
/// </summary>
public readonly partial record struct EmailAddress
{
    public const int MaxLength = 254;

    private EmailAddress(string value) => Value = value;

    public string Value { get; }

    public static Result<EmailAddress> Parse(string? text, string field = "email")
    {
        var value = (text ?? string.Empty).Trim();
        return value.Length is > 0 and <= MaxLength && Grammar().IsMatch(value)
            ? new EmailAddress(value)
            : Error.Validation(field, "invalid-email", "Địa chỉ email không hợp lệ.");
    }

    public override string ToString() => Value;

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex Grammar();
}
