using System.Text.Json;

namespace ServerlessWorkflow.Functions.Hosting.Invocations;

/// <summary>
/// The body the Functions host posts to a custom handler for a non-HTTP trigger:
/// <c>{"Data": {binding: value}, "Metadata": {name: value}}</c>. The host JSON-encodes metadata
/// values, so strings usually arrive quoted twice; <see cref="InvocationValue"/> reads every form.
/// </summary>
public sealed class InvocationRequest
{
    private InvocationRequest(Dictionary<string, JsonElement> data, Dictionary<string, JsonElement> metadata)
    {
        Data = data;
        Metadata = metadata;
    }

    /// <summary>Trigger and input binding values, by binding name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, JsonElement> Data { get; }

    /// <summary>Trigger metadata, by name (case-insensitive): <c>name</c>, <c>Uri</c>, <c>Properties</c>, <c>sys</c>, …</summary>
    public IReadOnlyDictionary<string, JsonElement> Metadata { get; }

    /// <summary>Parses a request body; a body that is not a JSON object is a <see cref="InvocationFormatException"/>.</summary>
    public static InvocationRequest Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new InvocationFormatException("The invocation body is not a JSON object.");
        }

        var data = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        var metadata = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in body.EnumerateObject())
        {
            var target = property.Name.Equals("Data", StringComparison.OrdinalIgnoreCase) ? data
                : property.Name.Equals("Metadata", StringComparison.OrdinalIgnoreCase) ? metadata
                : null;
            if (target is null)
            {
                continue;
            }

            var value = InvocationValue.AsObject(property.Value)
                ?? (property.Value.ValueKind == JsonValueKind.Null ? (JsonElement?)null
                    : throw new InvocationFormatException($"'{property.Name}' is not a JSON object."));
            if (value is { } obj)
            {
                foreach (var entry in obj.EnumerateObject())
                {
                    target[entry.Name] = entry.Value.Clone();
                }
            }
        }

        return new InvocationRequest(data, metadata);
    }

    /// <summary>Reads and parses the request body of an invocation.</summary>
    public static async Task<InvocationRequest> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(body, default, cancellationToken);
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new InvocationFormatException("The invocation body is not valid JSON.", ex);
        }
    }

    /// <summary>A metadata value as a string, unquoting the host's JSON encoding; null when absent.</summary>
    public string? MetadataString(string key) =>
        Metadata.TryGetValue(key, out var value) ? InvocationValue.AsString(value) : null;

    /// <summary>A metadata value as an object, whether it arrived as an object or as a string holding one.</summary>
    public JsonElement? MetadataObject(string key) =>
        Metadata.TryGetValue(key, out var value) ? InvocationValue.AsObject(value) : null;

    /// <summary>The value of the binding <paramref name="bindingName"/>, which must be present.</summary>
    public JsonElement RequiredData(string bindingName) =>
        Data.TryGetValue(bindingName, out var value)
            ? value
            : throw new InvocationFormatException($"The invocation has no data for binding '{bindingName}'.");
}
