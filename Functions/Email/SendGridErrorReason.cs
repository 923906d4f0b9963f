using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessWorkflow.Functions.Email;

/// <summary>
/// A short reason from SendGrid's error body (<c>{"errors":[{"message","field","help"}]}</c>):
/// "field: message" pairs joined by "; ", anything shaped like an address replaced by
/// <c>[address]</c>, header-safe, at most <see cref="MaxLength"/> characters. Nothing else of
/// the body is kept, so no personal data reaches the result or the logs.
/// </summary>
internal static partial class SendGridErrorReason
{
    public const int MaxLength = 300;

    public static string? From(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("errors", out var errors)
                || errors.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var parts = errors.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(e => (Field: Text(e, "field"), Message: Text(e, "message")))
                .Where(e => e.Message is not null || e.Field is not null)
                .Select(e => e.Field is null ? e.Message! : e.Message is null ? e.Field : $"{e.Field}: {e.Message}")
                .ToList();
            if (parts.Count == 0)
            {
                return null;
            }

            var reason = HeaderText.Clean(AddressLike().Replace(string.Join("; ", parts), "[address]"));
            return reason.Length <= MaxLength ? reason : string.Concat(reason.AsSpan(0, MaxLength - 1), "…");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    [GeneratedRegex(@"[^\s""'<>(),;:\[\]]+@[^\s""'<>(),;:\[\]]+")]
    private static partial Regex AddressLike();
}
