using System.Globalization;
using System.Text;

namespace ServerlessWorkflow.Functions.Email;

/// <summary>
/// Makes text safe to place in a single email header line (subject, display name, header value,
/// custom argument): every control character (CR, LF, TAB, NUL, NEL…), line and paragraph
/// separator and bidirectional override becomes a space, runs of spaces collapse to one, the ends
/// are trimmed, and the result is NFC. Applied by the transport whatever the caller already did.
/// </summary>
public static class HeaderText
{
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value.Normalize(NormalizationForm.FormC))
        {
            if (IsBreaking(c) || char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool IsBreaking(char c) =>
        char.IsControl(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
