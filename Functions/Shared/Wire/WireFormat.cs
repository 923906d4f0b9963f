using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Functions.Shared.Wire;

/// <summary>
/// How values look on the wire, decided once for every endpoint: enums as kebab-case names
/// (<c>SubmittedOnTime</c> → <c>"submitted-on-time"</c>) through one <see cref="JsonStringEnumConverter"/>,
/// calendar dates as ISO dates, deadlines as the ISO date of their last day (or the instant, with
/// +07:00, when a deadline is not the end of a Vietnam day). HTML forms post the same enum names.
/// </summary>
public static class WireFormat
{
    /// <summary>The naming policy of every enum on the wire and in form values.</summary>
    public static readonly JsonNamingPolicy EnumNaming = JsonNamingPolicy.KebabCaseLower;

    /// <summary>Responses: web defaults (camelCase) and enums by name.</summary>
    public static void ConfigureResponses(JsonSerializerOptions options) =>
        options.Converters.Add(new JsonStringEnumConverter(EnumNaming, allowIntegerValues: false));

    /// <summary>
    /// Request bodies: web defaults, at most 16 levels deep, and text fields that also take a JSON
    /// number or boolean as its text (<c>"level": 2</c> reads as <c>"2"</c>), so a value of the wrong
    /// kind reaches validation and gets that field's own message.
    /// </summary>
    public static readonly JsonSerializerOptions Requests = CreateRequestOptions();

    /// <summary>An enum value's wire name: <c>InProgress</c> → <c>in-progress</c>.</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => EnumNaming.ConvertName(value.ToString());

    /// <summary>The enum value whose wire name is <paramref name="text"/> exactly.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (Name(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>A calendar date: <c>2026-02-05</c>.</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A deadline: the ISO date of its last day when it is the end of a Vietnam day, else the instant with +07:00.</summary>
    public static string Deadline(Deadline deadline) =>
        deadline.IsEndOfDay
            ? Date(deadline.LastDay)
            : VietnamTime.ToVietnam(deadline.PassesAt).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A task's deadline as <see cref="Deadline(Domain.Time.Deadline)"/> writes it; null for a task without one.</summary>
    public static string? Deadline(Deadline? deadline) => deadline is { } d ? Deadline(d) : null;

    private static JsonSerializerOptions CreateRequestOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { MaxDepth = 16 };
        ConfigureResponses(options);
        options.Converters.Add(new ScalarAsTextConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Reads a text field from a JSON string, or from a number or boolean as its JSON text; objects and arrays are refused.</summary>
    private sealed class ScalarAsTextConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            _ => throw new JsonException("A text value was expected."),
        };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
