using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ServerlessWorkflow.Functions.Hosting.Telemetry;

/// <summary>
/// The app's own traces and metrics (source and meter <c>ServerlessWorkflow</c>). Tags carry
/// function names, outcomes and counts — never a person's name, address or contact.
/// </summary>
public sealed class AppTelemetry
{
    public const string Name = "ServerlessWorkflow";

    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _invocations;
    private readonly Counter<long> _emails;
    private readonly Counter<long> _uploads;
    private readonly Counter<long> _submissions;

    public AppTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _invocations = meter.CreateCounter<long>("workflow.invocations", description: "Timer and blob invocations, by function and outcome");
        _emails = meter.CreateCounter<long>("workflow.emails", description: "Emails handed to the provider, by outcome (sent, throttled, failed, rejected, not-configured)");
        _uploads = meter.CreateCounter<long>("workflow.uploads", description: "Statistics uploads processed, by outcome (accepted, rejected)");
        _submissions = meter.CreateCounter<long>("workflow.submissions", description: "Unit submissions stored, by timeliness (on-time, late)");
    }

    public void Invocation(string function, string outcome) =>
        _invocations.Add(1, new KeyValuePair<string, object?>("function", function), new KeyValuePair<string, object?>("outcome", outcome));

    public void Email(string outcome) => _emails.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Upload(string outcome) => _uploads.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Submission(string timeliness) => _submissions.Add(1, new KeyValuePair<string, object?>("timeliness", timeliness));
}
