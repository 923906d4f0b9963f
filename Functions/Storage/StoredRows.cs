using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Functions.Storage;

/// <summary>
/// A stored row that cannot be read: a field is missing or holds something its mapping does not
/// understand. Never defaulted — a made-up date or state could send an email again — but thrown,
/// logged and answered as a failure (500, or a failed invocation the host records), naming the
/// table, the row's keys (ids, never personal data) and the field.
/// </summary>
public sealed class CorruptRowException : Exception
{
    public CorruptRowException()
    {
    }

    public CorruptRowException(string message)
        : base(message)
    {
    }

    public CorruptRowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static CorruptRowException For(TableEntity row, string field, string problem, Exception? inner = null) =>
        new($"Row '{row.PartitionKey}' / '{row.RowKey}': field {field} {problem}.", inner!);
}

/// <summary>
/// Reading fields of a stored row, each as its mapping requires: a required field that is missing
/// or of another type is a <see cref="CorruptRowException"/>; an optional one may be absent, never
/// of the wrong type.
/// </summary>
public static class StoredRows
{
    public static StoredVersion Version(this TableEntity row) => new(row.ETag.ToString());

    public static string RequiredString(this TableEntity row, string field) =>
        Read(row, field, () => row.GetString(field)) ?? throw CorruptRowException.For(row, field, "is missing");

    public static string? OptionalString(this TableEntity row, string field) => Read(row, field, () => row.GetString(field));

    public static DateTimeOffset RequiredInstant(this TableEntity row, string field) =>
        Read(row, field, () => row.GetDateTimeOffset(field)) ?? throw CorruptRowException.For(row, field, "is missing");

    public static DateTimeOffset? OptionalInstant(this TableEntity row, string field) => Read(row, field, () => row.GetDateTimeOffset(field));

    public static int RequiredInt(this TableEntity row, string field) =>
        Read(row, field, () => row.GetInt32(field)) ?? throw CorruptRowException.For(row, field, "is missing");

    public static int? OptionalInt(this TableEntity row, string field) => Read(row, field, () => row.GetInt32(field));

    public static long RequiredLong(this TableEntity row, string field) =>
        Read(row, field, () => row.GetInt64(field)) ?? throw CorruptRowException.For(row, field, "is missing");

    public static bool RequiredBool(this TableEntity row, string field) =>
        Read(row, field, () => row.GetBoolean(field)) ?? throw CorruptRowException.For(row, field, "is missing");

    /// <summary>A required text field turned into a value by <paramref name="parse"/>; text it refuses is a corrupt row.</summary>
    public static T Required<T>(this TableEntity row, string field, Func<string, Result<T>> parse) => Parsed(row, field, row.RequiredString(field), parse);

    /// <summary>Text (a key, say) turned into a value by <paramref name="parse"/>; text it refuses is a corrupt row.</summary>
    public static T Parsed<T>(this TableEntity row, string field, string text, Func<string, Result<T>> parse)
    {
        var parsed = parse(text);
        return parsed.IsSuccess ? parsed.Value : throw CorruptRowException.For(row, field, $"holds '{Shorten(text)}', which is not valid");
    }

    /// <summary>An enum stored by its C# name (<c>Accepted</c>), exactly.</summary>
    public static TEnum RequiredEnum<TEnum>(this TableEntity row, string field)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(row.RequiredString(field), ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw CorruptRowException.For(row, field, $"holds '{Shorten(row.GetString(field))}', which is not a {typeof(TEnum).Name}");

    /// <summary>A required field holding JSON of <typeparamref name="T"/> (a list, say); JSON that does not read as one is a corrupt row.</summary>
    public static T RequiredJson<T>(this TableEntity row, string field, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(row.RequiredString(field), type) ?? throw CorruptRowException.For(row, field, $"is null, not {typeof(T).Name}");
        }
        catch (JsonException ex)
        {
            throw CorruptRowException.For(row, field, $"is not the JSON of {typeof(T).Name}", ex);
        }
    }

    private static T Read<T>(TableEntity row, string field, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException ex)
        {
            throw CorruptRowException.For(row, field, "is of another type", ex);
        }
    }

    private static string Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text ?? string.Empty;
}
