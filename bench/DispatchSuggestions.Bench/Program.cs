using System.Globalization;
using System.Text;
using System.Text.Json;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Tests.Domain.Dispatches;

// Usage:
//   DispatchSuggestions.Bench FIXTURES OUT.md                     measures every Tests/Fixtures/dispatches/*.expected.json
//   DispatchSuggestions.Bench FIXTURES --read DISPATCH DD/MM/YYYY  prints the reader's reading of one dispatch in the expected form
var fixtures = args[0];
if (args.Length == 4 && args[1] == "--read")
{
    var context = new SuggestionContext(ServerlessWorkflow.Domain.Calendar.WorkingCalendar.Default, ExpectedDispatch.Day(args[3])!.Value);
    var reading = DispatchReader.Read(File.ReadAllText(Path.Combine(fixtures, args[2])), context);
    Console.WriteLine(JsonSerializer.Serialize(ExpectedDispatch.Of(Path.GetFileNameWithoutExtension(args[2]), args[2], args[3], reading), ExpectedDispatch.Json));
    return;
}

var rows = ExpectedDispatch.All(fixtures)
    .Select(e => (Expected: e, Baseline: Scoring.Baseline(e, e.Text(fixtures)), Reader: ExpectedDispatch.Of(e.Name, e.Dispatch, e.ReceivedOn, DispatchReader.Read(e.Text(fixtures), e.Context))))
    .Select(r => (r.Expected, Baseline: Scoring.Score(r.Expected, r.Baseline), Reader: Scoring.Score(r.Expected, r.Reader)))
    .ToList();

var report = new StringBuilder();
report.AppendLine("# Suggestions from a pasted dispatch: the reader against the scanner it replaced");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} by `bench/dispatch-suggestions.sh` on the {rows.Count} dispatches of `Tests/Fixtures/dispatches` (the two seeds and dispatches written for the tests), each against the reading a clerk would make of it (`*.expected.json`, also checked by `DispatchReaderTests`).");
report.AppendLine("Baseline: `DispatchScanner` as main had it before issue 16 (a task only where a deadline phrase stands; no number, date, issuer, subject or recipients), kept in `bench/DispatchSuggestions.Bench/BaselineScanner.cs`.");
report.AppendLine();
report.AppendLine("A suggested task is *found* when its words match an expected task's (Dice coefficient of their words without diacritics ≥ 0.5, best pairs first, one to one). Precision = correct / suggested, recall = correct / expected; \"—\" when nothing was suggested.");
report.AppendLine();
Totals(rows);
var later = rows.Where(r => r.Expected.Name.StartsWith('2')).ToList();
if (later.Count > 0)
{
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"Of these, the dispatches written after the reader was built ({string.Join(", ", later.Select(r => r.Expected.Name))}; their first measurement, before the fixes they prompted, is below):");
    report.AppendLine();
    Totals(later);
}

report.AppendLine();
report.AppendLine("Per dispatch (reader; baseline in brackets), as correct / suggested / expected:");
report.AppendLine();
report.AppendLine("| dispatch | tasks found | titles exact | deadlines | tasks without deadline | fields | recipients |");
report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (expected, baseline, reader) in rows)
{
    string Cell(string m) => $"{reader[m].Counts} ({baseline[m].Counts})";
    report.AppendLine(CultureInfo.InvariantCulture, $"| {expected.Name} | {Cell(Scoring.Tasks)} | {Cell(Scoring.Titles)} | {Cell(Scoring.Deadlines)} | {Cell(Scoring.Undated)} | {Cell(Scoring.Fields)} | {Cell(Scoring.Recipients)} |");
}

var firstSight = Path.Combine(AppContext.BaseDirectory, "first-sight.md");
if (File.Exists(firstSight))
{
    report.AppendLine();
    report.Append(File.ReadAllText(firstSight));
}

File.WriteAllText(args[1], report.ToString());
Console.Write(report);

// Precision and recall of every measure, summed over the dispatches given, baseline beside the reader.
void Totals(IReadOnlyList<(ExpectedDispatch Expected, Dictionary<string, Tally> Baseline, Dictionary<string, Tally> Reader)> of)
{
    report.AppendLine("| measure | baseline precision | baseline recall | reader precision | reader recall |");
    report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
    foreach (var measure in Scoring.Measures)
    {
        var baseline = Scoring.Sum(of.Select(r => r.Baseline[measure]));
        var reader = Scoring.Sum(of.Select(r => r.Reader[measure]));
        report.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {baseline.Precision} | {baseline.Recall} | {reader.Precision} | {reader.Recall} |");
    }
}

/// <summary>Correct, suggested and expected counts of one measure.</summary>
internal sealed record Tally(int Correct, int Suggested, int Expected)
{
    public string Precision => Suggested == 0 ? "—" : Percent(Correct, Suggested);

    public string Recall => Expected == 0 ? "—" : Percent(Correct, Expected);

    public string Counts => string.Create(CultureInfo.InvariantCulture, $"{Correct}/{Suggested}/{Expected}");

    private static string Percent(int a, int b) => string.Create(CultureInfo.InvariantCulture, $"{100.0 * a / b:0.0} % ({a}/{b})");
}

internal static class Scoring
{
    public const string Tasks = "tasks found";
    public const string Titles = "task titles exact (whole, no \"…\", no markdown)";
    public const string Deadlines = "deadlines (last day)";
    public const string Undated = "tasks without deadline (found, none suggested)";
    public const string Kinds = "kind of task (statistics / confirmation) of found tasks";
    public const string Number = "field: số";
    public const string Date = "field: ngày ban hành";
    public const string Issuer = "field: cơ quan ban hành";
    public const string Subject = "field: trích yếu";
    public const string Fields = "fields (all four)";
    public const string Addressees = "addressees (Kính gửi)";
    public const string Recipients = "recipients of found tasks (units or groups named)";

    public static readonly string[] Measures = [Tasks, Titles, Deadlines, Undated, Kinds, Number, Date, Issuer, Subject, Fields, Addressees, Recipients];

    /// <summary>What the scanner main had suggested, in the expected form: tasks with deadlines only, no fields, no recipients.</summary>
    public static ExpectedDispatch Baseline(ExpectedDispatch expected, string text)
    {
        var context = expected.Context;
        var tasks = ServerlessWorkflow.Bench.Baseline.DispatchScanner.Suggest(text, new ServerlessWorkflow.Bench.Baseline.SuggestionContext(context.Calendar, context.ReceivedOn));
        return expected with
        {
            Number = null,
            IssuedOn = null,
            Issuer = null,
            Subject = null,
            Addressees = [],
            Tasks = tasks.Select(t => new ExpectedTask(t.Title, t.Kind == TaskKind.Statistics ? "statistics" : "confirmation", t.Deadline.LastDay.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), t.Term?.Display, [])).ToList(),
        };
    }

    public static Dictionary<string, Tally> Score(ExpectedDispatch expected, ExpectedDispatch suggested)
    {
        var pairs = Pairs(expected.Tasks, suggested.Tasks);
        var fields = new[]
        {
            (Number, expected.Number, suggested.Number),
            (Date, expected.IssuedOn, suggested.IssuedOn),
            (Issuer, expected.Issuer, suggested.Issuer),
            (Subject, expected.Subject, suggested.Subject),
        }.ToDictionary(f => f.Item1, f => new Tally(f.Item2 is not null && f.Item2 == f.Item3 ? 1 : 0, f.Item3 is null ? 0 : 1, f.Item2 is null ? 0 : 1));
        var scores = new Dictionary<string, Tally>(fields)
        {
            [Tasks] = new(pairs.Count, suggested.Tasks.Count, expected.Tasks.Count),
            [Titles] = new(pairs.Count(p => p.Expected.Title == p.Suggested.Title), suggested.Tasks.Count, expected.Tasks.Count),
            [Deadlines] = new(pairs.Count(p => p.Expected.LastDay is not null && p.Expected.LastDay == p.Suggested.LastDay), suggested.Tasks.Count(t => t.LastDay is not null), expected.Tasks.Count(t => t.LastDay is not null)),
            [Undated] = new(pairs.Count(p => p.Expected.LastDay is null && p.Suggested.LastDay is null), suggested.Tasks.Count(t => t.LastDay is null), expected.Tasks.Count(t => t.LastDay is null)),
            [Kinds] = new(pairs.Count(p => p.Expected.Kind == p.Suggested.Kind), pairs.Count, pairs.Count),
            [Fields] = Sum(fields.Values),
            [Addressees] = new(suggested.Addressees.Count(expected.Addressees.Contains), suggested.Addressees.Count, expected.Addressees.Count),
            [Recipients] = new(pairs.Sum(p => p.Suggested.Recipients.Count(p.Expected.Recipients.Contains)), pairs.Sum(p => p.Suggested.Recipients.Count), pairs.Sum(p => p.Expected.Recipients.Count)),
        };
        return scores;
    }

    public static Tally Sum(IEnumerable<Tally> tallies) =>
        tallies.Aggregate(new Tally(0, 0, 0), (a, b) => new Tally(a.Correct + b.Correct, a.Suggested + b.Suggested, a.Expected + b.Expected));

    /// <summary>Expected and suggested tasks paired by their words, best first, one to one, at a Dice coefficient of 0.5 or more.</summary>
    private static List<(ExpectedTask Expected, ExpectedTask Suggested)> Pairs(IReadOnlyList<ExpectedTask> expected, IReadOnlyList<ExpectedTask> suggested)
    {
        var candidates = (from e in expected from s in suggested let d = Dice(e.Title, s.Title) where d >= 0.5 orderby d descending select (e, s)).ToList();
        var pairs = new List<(ExpectedTask, ExpectedTask)>();
        foreach (var (e, s) in candidates)
        {
            if (!pairs.Exists(p => ReferenceEquals(p.Item1, e) || ReferenceEquals(p.Item2, s)))
            {
                pairs.Add((e, s));
            }
        }

        return pairs;
    }

    private static double Dice(string a, string b)
    {
        var x = Words(a);
        var y = Words(b);
        return x.Count + y.Count == 0 ? 0 : 2.0 * x.Intersect(y).Count() / (x.Count + y.Count);
    }

    private static HashSet<string> Words(string text) =>
        Text.Fold(text).Split([' ', ',', ';', ':', '.', '(', ')', '“', '”', '"', '*', '#'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
