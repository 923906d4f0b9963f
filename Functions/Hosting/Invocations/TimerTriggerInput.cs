using System.Globalization;
using System.Text.Json;

namespace ServerlessWorkflow.Functions.Hosting.Invocations;

/// <summary>
/// A timer invocation: <c>Data.{binding}</c> holds <c>ScheduleStatus</c> (<c>Last</c>, <c>Next</c>,
/// <c>LastUpdated</c>) and <c>IsPastDue</c>. They are informational only: timer functions derive
/// their work from stored state, so a missed or failed run is made good by the next one.
/// </summary>
public sealed record TimerTriggerInput(DateTimeOffset? Last, DateTimeOffset? Next, DateTimeOffset? LastUpdated, bool IsPastDue)
{
    public static TimerTriggerInput From(InvocationRequest request, string bindingName)
    {
        if (!request.Data.TryGetValue(bindingName, out var raw) || InvocationValue.AsObject(raw) is not { } timer)
        {
            return new TimerTriggerInput(null, null, null, false);
        }

        var status = InvocationValue.TryGetProperty(timer, "ScheduleStatus", out var s) ? InvocationValue.AsObject(s) : null;
        var pastDue = InvocationValue.TryGetProperty(timer, "IsPastDue", out var p)
            && (p.ValueKind == JsonValueKind.True || string.Equals(InvocationValue.AsString(p), "true", StringComparison.OrdinalIgnoreCase));
        return new TimerTriggerInput(Time(status, "Last"), Time(status, "Next"), Time(status, "LastUpdated"), pastDue);
    }

    private static DateTimeOffset? Time(JsonElement? obj, string name) =>
        obj is { } o && InvocationValue.TryGetProperty(o, name, out var value)
            && InvocationValue.AsString(value) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
}
