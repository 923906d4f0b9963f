using System.Globalization;
using System.Text;

namespace ServerlessWorkflow.Domain.Common;

/// <summary>
/// Text from people, made safe to store and show: Unicode NFC (the composed form: Vietnamese typed
/// on different keyboards compares equal), trimmed, without control characters (line breaks and
/// tabs are kept only where a field allows several lines), within a length limit.
/// </summary>
public static class Text
{
    /// <summary>Cleans <paramref name="input"/> for <paramref name="field"/>; a missing required value, an overlong value or a control character is a field error.</summary>
    public static Result<string> Clean(string? input, string field, int maxLength, bool required = true, bool multiline = false)
    {
        var value = (input ?? string.Empty).Normalize(NormalizationForm.FormC);
        value = multiline ? value.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() : value.Trim();
        if (value.Length == 0)
        {
            return required
                ? Error.Validation(field, "required", "Trường này là bắt buộc.")
                : Result<string>.Success(string.Empty);
        }

        if (value.Length > maxLength)
        {
            return Error.Validation(field, "too-long", $"Tối đa {maxLength.ToString(CultureInfo.InvariantCulture)} ký tự (đang có {value.Length.ToString(CultureInfo.InvariantCulture)}).");
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) && !(multiline && c is '\n' or '\t'))
            {
                return Error.Validation(field, "control-character", "Có ký tự điều khiển không được phép.");
            }
        }

        return value;
    }

    /// <summary>
    /// A form of a name for searching and duplicate detection: NFC, lower case, Vietnamese
    /// diacritics removed (đ → d), runs of white space as one space. "Đống  Đa" and "dong da" fold alike.
    /// </summary>
    public static string Fold(string value)
    {
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c switch { 'đ' or 'Đ' => 'd', _ => char.ToLowerInvariant(c) });
        }

        return builder.ToString();
    }

    /// <summary>One line for an email subject or header: line breaks and other control characters become spaces.</summary>
    public static string SingleLine(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
