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
        // Broken UTF-16 (a lone surrogate) and the non-characters U+FFFE/U+FFFF cannot be normalised,
        // stored in XML or shown: refuse them like control characters rather than fail on them.
        if (input is not null && HasInvalidCharacter(input))
        {
            return Error.Validation(field, "invalid-character", "Có ký tự không hợp lệ (không phải chữ, số hay dấu thông thường).");
        }

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
    /// <paramref name="text"/> as XML 1.0 can carry it: every character it cannot (<see cref="XmlCharacterLength"/>)
    /// and every control character but line feed and tab becomes a space; surrogate pairs stay.
    /// Text.Clean refuses such characters in new input; text stored before it did must not make a document fail.
    /// </summary>
    public static string ForXml(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var length = XmlCharacterLength(source, i);
                if (length == 2)
                {
                    span[i] = source[i];
                    span[i + 1] = source[i + 1];
                    i++;
                    continue;
                }

                var c = source[i];
                span[i] = length == 0 || (char.IsControl(c) && c is not ('\n' or '\t')) ? ' ' : c;
            }
        });

    /// <summary>
    /// How many chars the character at <paramref name="i"/> of <paramref name="text"/> takes: 2 for a
    /// surrogate pair (an emoji), 1 for any other character XML 1.0 can carry, 0 for one it cannot —
    /// a control character other than tab, line feed and carriage return, U+FFFE, U+FFFF, or a
    /// surrogate without its pair. The one rule for text that is checked here and written to XML.
    /// </summary>
    public static int XmlCharacterLength(string text, int i)
    {
        ArgumentNullException.ThrowIfNull(text);
        var c = text[i];
        return char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2
            : System.Xml.XmlConvert.IsXmlChar(c) ? 1
            : 0;
    }

    /// <summary>A character XML cannot carry other than a control character (those have their own error): U+FFFE, U+FFFF, a lone surrogate.</summary>
    private static bool HasInvalidCharacter(string input)
    {
        for (var i = 0; i < input.Length;)
        {
            var length = XmlCharacterLength(input, i);
            if (length == 0 && !char.IsControl(input[i]))
            {
                return true;
            }

            i += Math.Max(length, 1);
        }

        return false;
    }

    /// <summary>
    /// A form of a name for searching and duplicate detection: NFC, lower case, Vietnamese
    /// diacritics removed (đ → d), runs of white space as one space. "Đống  Đa" and "dong da" fold alike.
    /// </summary>
    public static string Fold(string value)
    {
        // Latin text (Vietnamese included) decomposes one character at a time into one base letter
        // and marks, so it folds from a table without asking ICU to normalise the whole string;
        // anything else (Hangul, surrogates, other scripts) takes the general path below.
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            var folded = LatinFold.BaseOf(c);
            if (folded == LatinFold.Unknown)
            {
                return FoldDecomposed(value);
            }

            if (folded != LatinFold.Mark)
            {
                Append(builder, folded, ref space);
            }
        }

        return builder.ToString();
    }

    private static string FoldDecomposed(string value)
    {
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                Append(builder, c, ref space);
            }
        }

        return builder.ToString();
    }

    private static void Append(StringBuilder builder, char c, ref bool space)
    {
        if (char.IsWhiteSpace(c))
        {
            space = builder.Length > 0;
            return;
        }

        if (space)
        {
            builder.Append(' ');
            space = false;
        }

        builder.Append(c switch { 'đ' or 'Đ' => 'd', _ => char.ToLowerInvariant(c) });
    }

    /// <summary>
    /// For U+0000–U+036F and U+1E00–U+1EFF (Latin letters with their diacritics, Vietnamese ones included,
    /// and the combining marks): the base character of the canonical decomposition when it is one base
    /// and only non-spacing marks, <see cref="Mark"/> when it is only marks, else <see cref="Unknown"/>.
    /// Built once from the same normalisation the general path uses, so both fold alike.
    /// </summary>
    private static class LatinFold
    {
        public const char Unknown = '\uFFFF';
        public const char Mark = '\uFFFE';

        private const int ExtendedStart = 0x1E00;
        private static readonly char[] Low = Build(0, 0x0370);
        private static readonly char[] Extended = Build(ExtendedStart, 0x1F00);

        public static char BaseOf(char c) =>
            c < Low.Length ? Low[c]
            : c is >= (char)ExtendedStart and < (char)0x1F00 ? Extended[c - ExtendedStart]
            : Unknown;

        private static char[] Build(int from, int to)
        {
            var table = new char[to - from];
            for (var i = 0; i < table.Length; i++)
            {
                var c = (char)(from + i);
                if (c < 0x80)
                {
                    table[i] = c;
                    continue;
                }

                var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
                var marks = 0;
                foreach (var d in decomposed)
                {
                    marks += CharUnicodeInfo.GetUnicodeCategory(d) == UnicodeCategory.NonSpacingMark ? 1 : 0;
                }

                table[i] = marks == decomposed.Length ? Mark
                    : marks == decomposed.Length - 1 && CharUnicodeInfo.GetUnicodeCategory(decomposed[0]) != UnicodeCategory.NonSpacingMark ? decomposed[0]
                    : Unknown;
            }

            return table;
        }
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
