using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;

namespace ServerlessWorkflow.Tests.Domain.Dispatches;

/// <summary>
/// What a clerk reads in a dispatch of <c>Tests/Fixtures/dispatches</c> (<c>*.expected.json</c>): its
/// number, date, issuer, subject, addressees and tasks, each task with its kind, last day (or none),
/// term in working days, and the groups it is given to. Dates are written dd/MM/yyyy; a value the
/// dispatch leaves blank is null. Read by the Domain tests and by bench/dispatch-suggestions.sh.
/// </summary>
public sealed record ExpectedDispatch(
    string Name,
    string Dispatch,
    string ReceivedOn,
    string? Number,
    string? IssuedOn,
    string? Issuer,
    string? Subject,
    IReadOnlyList<string> Addressees,
    IReadOnlyList<ExpectedTask> Tasks)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>The dispatch's text, read from <c>Tests/Fixtures/</c><see cref="Dispatch"/>.</summary>
    public string Text(string fixtures) => File.ReadAllText(Path.Combine(fixtures, Dispatch));

    /// <summary>Received on <see cref="ReceivedOn"/>, counted with the Labour Code's calendar.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public SuggestionContext Context => new(WorkingCalendar.Default, Day(ReceivedOn)!.Value);

    /// <summary>Every expected reading under <paramref name="fixtures"/>/dispatches, by name.</summary>
    public static IReadOnlyList<ExpectedDispatch> All(string fixtures) =>
        Directory.GetFiles(Path.Combine(fixtures, "dispatches"), "*.expected.json")
            .Order(StringComparer.Ordinal)
            .Select(path => JsonSerializer.Deserialize<ExpectedDispatch>(File.ReadAllText(path), Json)! with { Name = Path.GetFileName(path)[..^".expected.json".Length] })
            .ToList();

    /// <summary>A reading in the expected form (to compare with, or to start an expected file from).</summary>
    public static ExpectedDispatch Of(string name, string dispatch, string receivedOn, DispatchReading reading) => new(
        name,
        dispatch,
        receivedOn,
        reading.Number,
        Format(reading.IssuedOn),
        reading.Issuer,
        reading.Subject,
        reading.Addressees,
        reading.Tasks.Select(t => new ExpectedTask(t.Title, t.Kind == TaskKind.Statistics ? "statistics" : "confirmation", Format(t.Deadline?.LastDay), t.Term?.Display, t.Recipients)).ToList());

    /// <summary>What the reader gives for this dispatch today (each task's <see cref="ExpectedTask.Read"/>).</summary>
    public ExpectedDispatch Read => this with { Tasks = Tasks.Select(t => t.Read).ToList() };

    public static DateOnly? Day(string? text) =>
        text is null ? null : DateOnly.ParseExact(text, "dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string? Format(DateOnly? day) => day?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}

/// <summary>
/// A task as a clerk reads it: its whole text, kind, last day (null without a deadline), term in
/// working days, and to whom. <see cref="ReadAs"/>: where the reader is known to read it otherwise
/// (a miss the bench counts), what it reads — the test pins that, so a change shows.
/// </summary>
public sealed record ExpectedTask(string Title, string Kind, string? LastDay, string? Term, IReadOnlyList<string> Recipients, ExpectedTask? ReadAs = null)
{
    /// <summary>What the reader gives for this task today: <see cref="ReadAs"/> when it misses, else this.</summary>
    public ExpectedTask Read => ReadAs ?? this;
}
