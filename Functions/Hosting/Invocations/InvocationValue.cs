using System.Text.Json;

namespace ServerlessWorkflow.Functions.Hosting.Invocations;

/// <summary>
/// Reads values in every form the Functions host is known to send them: plain JSON values, and
/// JSON values encoded once more as a string (<c>"name": "\"d1/u7/a.xlsx\""</c>,
/// <c>"Properties": "{\"ETag\":…}"</c>).
/// </summary>
public static class InvocationValue
{
    private const int MaxNesting = 4;

    /// <summary>The value as text; a string holding a JSON string literal is unwrapped; null for JSON null.</summary>
    public static string? AsString(JsonElement value)
    {
        for (var depth = 0; ; depth++)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null or JsonValueKind.Undefined:
                    return null;
                case JsonValueKind.String:
                    var text = value.GetString()!;
                    if (depth < MaxNesting && text.Length >= 2 && text[0] == '"' && text[^1] == '"' && TryParse(text, out var inner))
                    {
                        value = inner;
                        continue;
                    }

                    return text;
                default:
                    return value.GetRawText();
            }
        }
    }

    /// <summary>The value as a JSON object, whether it is one or is a string that encodes one; otherwise null.</summary>
    public static JsonElement? AsObject(JsonElement value)
    {
        for (var depth = 0; depth <= MaxNesting; depth++)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    return value;
                case JsonValueKind.String when TryParse(value.GetString()!, out var inner):
                    value = inner;
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Binary content as bytes: base64 text (optionally JSON-quoted). The host sends
    /// <c>"dataType": "binary"</c> blob content this way.
    /// </summary>
    public static byte[] AsBytes(JsonElement value)
    {
        var text = AsString(value) ?? throw new InvocationFormatException("The binary value is null.");
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new InvocationFormatException("The binary value is not base64.", ex);
        }
    }

    /// <summary>A URI from a string (optionally quoted) or from an object with <c>AbsoluteUri</c> or <c>OriginalString</c>.</summary>
    public static Uri? AsUri(JsonElement value)
    {
        if (AsObject(value) is { } obj)
        {
            foreach (var name in (ReadOnlySpan<string>)["AbsoluteUri", "OriginalString", "Uri"])
            {
                if (TryGetProperty(obj, name, out var inner))
                {
                    return AsUri(inner);
                }
            }

            return null;
        }

        return AsString(value) is { Length: > 0 } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <summary>Looks a property up by name, ignoring case (the host's casing has varied between versions).</summary>
    public static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in obj.EnumerateObject())
            {
                if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    private static bool TryParse(string text, out JsonElement value)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '"' && trimmed[0] != '['))
        {
            value = default;
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            value = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }
}
