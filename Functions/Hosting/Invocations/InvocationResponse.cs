using System.Text.Json.Serialization;

namespace ServerlessWorkflow.Functions.Hosting.Invocations;

/// <summary>
/// The handler's answer to a non-HTTP invocation: <c>{"Outputs": {}, "Logs": [], "ReturnValue": null}</c>.
/// Names are PascalCase as the host expects, whatever the app's JSON naming policy.
/// </summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResponse Completed { get; } = new(new Dictionary<string, object?>(), [], null);

    public static InvocationResponse Failed(string log) => new(new Dictionary<string, object?>(), [log], null);
}
