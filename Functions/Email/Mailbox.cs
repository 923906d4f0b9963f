using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Functions.Email;

/// <summary>A mailbox: an address (the one rule of <see cref="EmailAddress"/>), and optionally the name shown beside it.</summary>
/// <param name="Address">The address itself.</param>
/// <param name="DisplayName">The name shown to the reader, e.g. <c>Văn phòng Đảng ủy</c>; line breaks and other control characters are removed before sending.</param>
public sealed record Mailbox(EmailAddress Address, string? DisplayName = null)
{
    /// <summary>A configured mailbox, <c>a@b</c> or <c>Name &lt;a@b&gt;</c>; null when it is neither (a list, trailing text, a line break).</summary>
    public static Mailbox? TryParse(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value.Any(char.IsControl))
        {
            return null;
        }

        var open = value.LastIndexOf('<');
        if (open < 0)
        {
            return EmailAddress.Parse(value) is { IsSuccess: true } bare ? new Mailbox(bare.Value) : null;
        }

        if (!value.EndsWith('>') || EmailAddress.Parse(value[(open + 1)..^1]) is not { IsSuccess: true } address)
        {
            return null;
        }

        var name = value[..open].Trim().Trim('"').Trim();
        return name.Contains('<', StringComparison.Ordinal) || name.Contains('>', StringComparison.Ordinal)
            ? null
            : new Mailbox(address.Value, name.Length == 0 ? null : name);
    }
}
