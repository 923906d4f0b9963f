using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessWorkflow.Functions.Hosting.Invocations;

/// <summary>
/// Builds invocation bodies in the form the Functions host sends them, for the local host
/// (<see cref="LocalTriggers.LocalTriggerHost"/>) and for tests: metadata strings JSON-encoded
/// (quoted), <c>Properties</c> as an object, blob content base64.
/// </summary>
public static class InvocationPayloads
{
    public static JsonObject ForBlob(
        string functionName,
        string bindingName,
        string blobPath,
        IReadOnlyDictionary<string, string> pathVariables,
        Uri uri,
        BlobTriggerProperties properties,
        ReadOnlySpan<byte> content,
        DateTimeOffset now)
    {
        var metadata = new JsonObject
        {
            ["BlobTrigger"] = Quoted(blobPath),
            ["Uri"] = Quoted(uri.AbsoluteUri),
            ["Properties"] = new JsonObject
            {
                ["ETag"] = properties.ETag,
                ["ContentLength"] = properties.ContentLength,
                ["ContentType"] = properties.ContentType,
                ["LastModified"] = properties.LastModified?.ToString("O", CultureInfo.InvariantCulture),
            },
            ["Metadata"] = new JsonObject(),
            ["sys"] = Sys(functionName, now),
        };
        foreach (var (name, value) in pathVariables)
        {
            metadata[name] = Quoted(value);
        }

        return new JsonObject
        {
            ["Data"] = new JsonObject { [bindingName] = Convert.ToBase64String(content) },
            ["Metadata"] = metadata,
        };
    }

    public static JsonObject ForTimer(string functionName, string bindingName, DateTimeOffset? last, DateTimeOffset next, bool isPastDue, DateTimeOffset now) =>
        new()
        {
            ["Data"] = new JsonObject
            {
                [bindingName] = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = new JsonObject
                    {
                        ["Last"] = (last ?? DateTimeOffset.MinValue).ToString("O", CultureInfo.InvariantCulture),
                        ["Next"] = next.ToString("O", CultureInfo.InvariantCulture),
                        ["LastUpdated"] = now.ToString("O", CultureInfo.InvariantCulture),
                    },
                    ["IsPastDue"] = isPastDue,
                },
            },
            ["Metadata"] = new JsonObject { ["sys"] = Sys(functionName, now) },
        };

    /// <summary>A string encoded once more as JSON, as the host encodes metadata values: <c>"\"text\""</c>.</summary>
    public static string Quoted(string value) => JsonSerializer.Serialize(value);

    private static JsonObject Sys(string functionName, DateTimeOffset now) => new()
    {
        ["MethodName"] = functionName,
        ["UtcNow"] = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };
}
