using System.Globalization;
using System.Text.Json;

namespace ServerlessWorkflow.Functions.Hosting.Invocations;

/// <summary>
/// A blob trigger invocation, read from the host's payload (<c>"dataType": "binary"</c>):
/// the content from <c>Data.{binding}</c> (base64), the blob's name from the path variable
/// <c>Metadata.name</c> (for a path <c>uploads/{name}</c>), its full path from
/// <c>Metadata.BlobTrigger</c>, <c>Uri</c> and <c>Properties</c> in string or object form.
/// </summary>
public sealed record BlobTriggerInput(
    string Name,
    string? BlobPath,
    Uri? Uri,
    BlobTriggerProperties Properties,
    ReadOnlyMemory<byte> Content)
{
    /// <summary>The path variable that names the blob in the function's <c>path</c>.</summary>
    public const string NameVariable = "name";

    public static BlobTriggerInput From(InvocationRequest request, string bindingName)
    {
        var content = InvocationValue.AsBytes(request.RequiredData(bindingName));
        var name = request.MetadataString(NameVariable)
            ?? throw new InvocationFormatException("The blob invocation has no 'name' metadata.");
        var uri = request.Metadata.TryGetValue("Uri", out var u) ? InvocationValue.AsUri(u) : null;
        return new BlobTriggerInput(
            name,
            request.MetadataString("BlobTrigger"),
            uri,
            BlobTriggerProperties.From(request.MetadataObject("Properties")),
            content);
    }
}

/// <summary>The blob properties the handler uses; every one may be missing from the payload.</summary>
public sealed record BlobTriggerProperties(string? ETag, long? ContentLength, string? ContentType, DateTimeOffset? LastModified)
{
    public static readonly BlobTriggerProperties None = new(null, null, null, null);

    public static BlobTriggerProperties From(JsonElement? properties)
    {
        if (properties is not { } p)
        {
            return None;
        }

        return new BlobTriggerProperties(
            Text(p, "ETag"),
            Text(p, "ContentLength") is { } length && long.TryParse(length, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null,
            Text(p, "ContentType"),
            Text(p, "LastModified") is { } modified && DateTimeOffset.TryParse(modified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null);
    }

    /// <summary>
    /// Inside the Properties object values are plain JSON (only top-level metadata is encoded twice),
    /// so a string is taken as it is: an ETag keeps its quotes, <c>"0x8DC…"</c>, as the storage service writes it.
    /// </summary>
    private static string? Text(JsonElement obj, string name) =>
        !InvocationValue.TryGetProperty(obj, name, out var value) ? null
        : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        };
}
