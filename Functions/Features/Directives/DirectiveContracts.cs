using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// <c>POST /api/directives</c>: a dispatch with its tasks, as JSON. Dates as ISO dates or as people
/// write them (dd/MM/yyyy, "trước ngày 26/02/2026"); a unit reference <c>id/*</c> names the unit and
/// everything under it.
/// </summary>
public sealed record RegisterDirectiveRequest(string? Number, string? IssuedOn, string? Issuer, string? Subject, IReadOnlyList<TaskRequest>? Tasks)
    : IRequestBody<RegisterDirectiveRequest>
{
    public DirectiveInput ToInput() =>
        new(Number, IssuedOn, Issuer, Subject, Tasks?.Select(t => t?.ToTaskInput() ?? new TaskInput(null, null, null, null)).ToList());
}

/// <summary>
/// One task of a directive being registered: what, of which kind (<c>confirmation</c> or
/// <c>statistics</c>), by when, for which units. The deadline is <c>deadline</c> (an ISO date, or as
/// written: "trước ngày 26/02/2026", "05 ngày làm việc kể từ ngày 13/02/2026"), or a term in working
/// days as <c>workingDays</c> from <c>countFrom</c> (the day named is not counted); <c>remind: false</c>
/// is "không nhắc" — the units' lateness is recorded, no email is sent about it. A statistics task
/// also gives its template (<c>643</c>, or the id <c>POST /api/templates</c> gave for the office's
/// file), its rules and whether a unit's figures cover its branch (<c>branch</c>, as in 643) or the
/// unit alone (<c>unit</c>). Left out: 643's. No <c>deadline</c> (nor working days): the task is
/// tracked and reported, never reminded about nor escalated. Each unit is an id (<c>id/*</c>: it and
/// every unit under it) or <c>{"id", "role"}</c> with its role as the dispatch writes it:
/// <c>chu-tri</c> (leads) or <c>phoi-hop</c> (takes part).
/// </summary>
public sealed record TaskRequest(string? Title, string? Kind, string? Deadline, IReadOnlyList<UnitReference>? Units, string? WorkingDays = null, string? CountFrom = null, bool? Remind = null)
{
    public TaskInput ToTaskInput() =>
        new(Title, Kind, Deadline, Units?.Select(u => u?.Id ?? string.Empty).ToList(), WorkingDays, CountFrom, Remind ?? true)
        {
            Statistics = ToStatistics(),
            Roles = Units?.Select(u => u?.Role).ToList(),
        };

    public string? Template { get; init; }

    public RulesRequest? Rules { get; init; }

    public string? Coverage { get; init; }

    public StatisticsInput? ToStatistics() =>
        Template is null && Rules is null && Coverage is null ? null
        : new StatisticsInput(Template, Rules?.Bounds?.Select(b => (b?.Row ?? 0, b?.Max ?? 0)).ToList(), Rules?.Totals, Rules?.Blanks, Coverage);
}

/// <summary>A statistics task's rules: rows that may not exceed another row of the same column (1-based, as the template lists them), totals checked as sums, blank cells <c>zero</c> or <c>required</c>.</summary>
public sealed record RulesRequest(IReadOnlyList<BoundRequest>? Bounds, bool? Totals, string? Blanks);

/// <summary>Row <see cref="Row"/> may not exceed row <see cref="Max"/> in any column.</summary>
public sealed record BoundRequest(int Row, int Max);

/// <summary>Something the office should know about a directive it registered (the directive was created all the same): about one task (<see cref="TaskId"/>), or the whole directive (none: <c>duplicate-number</c>).</summary>
public sealed record WarningResponse(string? TaskId, string Code, string Message);

/// <summary>A directive just registered: its ids, and one link per assigned unit to hand out; <see cref="SameNumber"/>: the other directives of the year with its number.</summary>
public sealed record RegisteredDirective(
    string Id, string Number, string IssuedOn, string Issuer, string Subject, IReadOnlyList<RegisteredTask> Tasks, IReadOnlyList<UnitLinkResponse> Links, IReadOnlyList<WarningResponse> Warnings)
{
    public IReadOnlyList<DirectiveSummary> SameNumber { get; init; } = [];
}

/// <summary>
/// A task as registered: its deadline as an ISO date (the end of that Vietnam day) and as the instant
/// it passes; for a deadline in working days, its term and how it was counted; whether it was
/// registered after its deadline (<see cref="Late"/>, with the days it was already overdue and a
/// <see cref="Notice"/> in Vietnamese); whether it is reminded about; the ladder's
/// <see cref="Plan"/> — each step with when it will be sent if the units never report, or skipped;
/// and a statistics task's template.
/// </summary>
public sealed record RegisteredTask(
    string Id, string Title, TaskKind Kind, string? Deadline, DateTimeOffset? DeadlineAt, DeadlineTerm? Term, IReadOnlyList<string> Units,
    bool Remind, bool Late, int DaysOverdue, string? Notice, IReadOnlyList<PlannedStep> Plan, string? Template)
{
    /// <summary>The units whose role the dispatch states (chủ trì or phối hợp).</summary>
    public IReadOnlyList<RoleResponse> Roles { get; init; } = [];

    public static RegisteredTask Of(DirectiveTask t, DateTimeOffset registeredAt, IReadOnlyList<ForecastStep> forecast, WorkingCalendar calendar)
    {
        var late = t.RegisteredLate(registeredAt);
        return new(
            t.Id.Value, t.Title, t.Kind, WireFormat.Deadline(t.Deadline), t.Deadline?.PassesAt, t.Term is { } term ? DeadlineTerm.Of(term, calendar) : null, t.Units.Select(u => u.Value).ToList(),
            t.Remind, late, t.Deadline?.DaysOverdue(registeredAt) ?? 0, late ? LateRegistration.Describe(t.Due, t.Remind, forecast, registeredAt) : null,
            forecast.Select(PlannedStep.Of).ToList(), t.Kind == TaskKind.Statistics ? t.StatisticsOrDefault.Template.Value : null)
        {
            Roles = RoleResponse.Of(t),
        };
    }
}

/// <summary>The units whose role the dispatch states, each with it: <c>chu-tri</c> (leads) or <c>phoi-hop</c> (takes part).</summary>
public sealed record RoleResponse(string UnitId, UnitRole Role)
{
    public static IReadOnlyList<RoleResponse> Of(DirectiveTask task) =>
        task.Units.Where(u => task.Roles.ContainsKey(u)).Select(u => new RoleResponse(u.Value, task.Roles[u])).ToList();
}

/// <summary>A step of a task's ladder as planned at registration: its name, and when it goes out (none: skipped, such as reminders of a task already late).</summary>
public sealed record PlannedStep(string Step, string Name, DateTimeOffset? At, bool Skipped)
{
    public static PlannedStep Of(ForecastStep f) => new(f.Step.Name, f.Step.DisplayName, f.At, f.Skipped);
}

/// <summary>A unit's own link to its page for the directive.</summary>
public sealed record UnitLinkResponse(string UnitId, string Url);

/// <summary>A directive in the office's list; <see cref="Closed"/> once the office closed it (null while it is followed).</summary>
public sealed record DirectiveSummary(string Id, string Number, string IssuedOn, string Issuer, string Subject, DateTimeOffset RegisteredAt, string? LastDeadline)
{
    public ClosureResponse? Closed { get; init; }

    public static DirectiveSummary Of(Directive d, DirectiveClosure? closure) =>
        new(d.Id.Value, d.Number, WireFormat.Date(d.IssuedOn), d.Issuer, d.Subject, d.RegisteredAt, WireFormat.Deadline(d.LastDeadline)) { Closed = ClosureResponse.Of(closure) };
}

/// <summary>When the office closed a directive, who (the account's name) and its note.</summary>
public sealed record ClosureResponse(DateTimeOffset At, string By, string? Note)
{
    public static ClosureResponse? Of(DirectiveClosure? closure) => closure is null ? null : new(closure.ClosedAt, closure.ClosedBy, closure.Note);
}

/// <summary>A directive and, per task and unit, where it stands now: counts by state, then every assignment.</summary>
public sealed record DirectiveResponse(
    string Id,
    string Number,
    string IssuedOn,
    string Issuer,
    string Subject,
    DateTimeOffset RegisteredAt,
    IReadOnlyDictionary<AssignmentState, int> Summary,
    IReadOnlyList<DirectiveTaskResponse> Tasks)
{
    /// <summary>The version to name in <c>If-Match</c> when editing (also the response's <c>ETag</c> header).</summary>
    public string ETag { get; init; } = string.Empty;

    /// <summary>Every edit since registration, oldest first.</summary>
    public IReadOnlyList<ChangeResponse> Changes { get; init; } = [];

    /// <summary>Set once the office closed the directive: nothing is sent about it and its units' links only show what they sent.</summary>
    public ClosureResponse? Closed { get; init; }
}

/// <summary>A task and every unit's standing on it; for a deadline in working days, its term and how it was counted with the calendar in force.</summary>
/// <remarks>No deadline (<c>deadline</c> null): the task is only tracked, never reminded about. <see cref="Cancelled"/>: the office cancelled it (when, why).</remarks>
public sealed record DirectiveTaskResponse(string Id, string Title, TaskKind Kind, string? Deadline, DateTimeOffset? DeadlineAt, DeadlineTerm? Term, IReadOnlyList<AssignmentResponse> Units)
{
    public CancellationResponse? Cancelled { get; init; }
}

/// <summary>When and why the office cancelled a task.</summary>
public sealed record CancellationResponse(DateTimeOffset At, string Reason);

/// <summary>
/// A unit's standing on a task: its state, when it completed, how many days overdue (or late) —
/// counted in <see cref="DaysCountedIn"/>, working days unless the office chose calendar days — how
/// many versions it sent and the latest, and its escalation ladder — the steps recorded, each with
/// what became of its email.
/// </summary>
public sealed record AssignmentResponse(
    string UnitId,
    string? UnitName,
    AssignmentState State,
    DateTimeOffset? CompletedAt,
    int DaysOverdue,
    DayUnit DaysCountedIn,
    int Versions,
    LatestSubmission? Latest,
    IReadOnlyList<EscalationStepResponse> Escalation)
{
    /// <summary>The unit's role on the task as the dispatch writes it (<c>chu-tri</c> or <c>phoi-hop</c>); absent when none is stated.</summary>
    public UnitRole? Role { get; init; }
}

public sealed record LatestSubmission(SubmissionStatus Status, string Note, DateTimeOffset At, bool Late);

/// <summary>
/// A unit named in a task: its id (<c>id/*</c>: it and every unit under it) and its role as the
/// dispatch writes it (<c>chu-tri</c> or <c>phoi-hop</c>; none: not stated). On the wire either the
/// id alone, <c>"u7"</c> (as before roles existed), or <c>{"id": "u7", "role": "chu-tri"}</c>.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(UnitReferenceConverter))]
public sealed record UnitReference(string Id, string? Role = null);

/// <summary>Reads a <see cref="UnitReference"/> from a string or an object with <c>id</c> and <c>role</c>; writes the object.</summary>
public sealed class UnitReferenceConverter : System.Text.Json.Serialization.JsonConverter<UnitReference>
{
    public override UnitReference Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        if (reader.TokenType == System.Text.Json.JsonTokenType.String)
        {
            return new UnitReference(reader.GetString()!);
        }

        if (reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
        {
            throw new System.Text.Json.JsonException("A unit is an id or {\"id\", \"role\"}.");
        }

        string? id = null, role = null;
        while (reader.Read() && reader.TokenType != System.Text.Json.JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            var value = reader.TokenType switch
            {
                System.Text.Json.JsonTokenType.String => reader.GetString(),
                System.Text.Json.JsonTokenType.Null => null,
                _ => throw new System.Text.Json.JsonException("A unit's id and role are text."),
            };
            if (string.Equals(name, "id", StringComparison.OrdinalIgnoreCase))
            {
                id = value;
            }
            else if (string.Equals(name, "role", StringComparison.OrdinalIgnoreCase))
            {
                role = value;
            }
        }

        return new UnitReference(id ?? string.Empty, role);
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, UnitReference value, System.Text.Json.JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        if (value.Role is not null)
        {
            writer.WriteString("role", value.Role);
        }

        writer.WriteEndObject();
    }
}
