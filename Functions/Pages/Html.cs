using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ServerlessWorkflow.Functions.Pages;

/// <summary>A fragment of HTML that is already safe to emit as it is.</summary>
public readonly record struct Markup(string Value)
{
    public static readonly Markup Empty = new(string.Empty);

    public override string ToString() => Value;
}

/// <summary>
/// HTML built from interpolated strings that encode every hole by default:
/// <c>Html.Of($"&lt;p&gt;{userText}&lt;/p&gt;")</c> encodes <c>userText</c>; only a <see cref="Markup"/>
/// hole is emitted as it is. Vietnamese letters stay letters (they are not turned into
/// <c>&amp;#x…;</c>), which keeps pages small; <c>&lt; &gt; &amp; " '</c> and control characters are encoded.
/// </summary>
public static class Html
{
    internal static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static Markup Of([InterpolatedStringHandlerArgument] ref HtmlInterpolatedStringHandler html) => html.ToMarkup();

    public static Markup Text(string? text) => new(Encoder.Encode(text ?? string.Empty));

    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Markup Join<T>(IEnumerable<T> items, Func<T, Markup> render) => Join(items.Select(render));

    public static Markup When(bool condition, Markup markup) => condition ? markup : Markup.Empty;

    /// <summary>The <c>selected</c> attribute of an option, when it is.</summary>
    public static Markup Selected(bool selected) => selected ? new Markup(" selected") : Markup.Empty;
}

[InterpolatedStringHandler]
public ref struct HtmlInterpolatedStringHandler
{
    private readonly StringBuilder _builder;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount)
    {
        _builder = new StringBuilder(literalLength + (formattedCount * 16));
    }

    public readonly void AppendLiteral(string value) => _builder.Append(value);

    public readonly void AppendFormatted(Markup markup) => _builder.Append(markup.Value);

    public readonly void AppendFormatted(string? value) => _builder.Append(Html.Encoder.Encode(value ?? string.Empty));

    public readonly void AppendFormatted<T>(T value) =>
        _builder.Append(Html.Encoder.Encode(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? string.Empty));

    public readonly void AppendFormatted<T>(T value, string format)
        where T : IFormattable =>
        _builder.Append(Html.Encoder.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    public readonly Markup ToMarkup() => new(_builder.ToString());
}
