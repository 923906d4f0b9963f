using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessWorkflow.Bench;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Tests.Email;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Storage;

/// <summary>
/// The hints a post leaves for the office's read models (one row per directive, read with one point
/// read by every board): a post whose read models did not follow shows on the board at once, the
/// sweep follows it and clears it; clearing one shard's hint leaves the other shards' and a hint set
/// again by a later post; a hint row with a field missing fails the board loudly.
/// </summary>
public sealed class ProgressHintTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;
    private ProvinceSeeder _province = null!;
    private ISubmissionLedger _ledger = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Directive Directive => _province.Directive(0);

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), services: s => s.AddSingleton<ILoggerProvider>(_logs));
        _office = new OfficeClient(_app.Start());
        _province = new ProvinceSeeder(_app.Services, new ProvinceSize(Directives: 1, Units: 100, Tasks: 3), DateTimeOffset.UtcNow);
        await _province.SeedUnitsAsync(Ct);
        await _province.SeedDirectivesAsync(0, 1, Ct);
        _ledger = _app.Services.GetRequiredService<ISubmissionLedger>();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_post_whose_read_models_did_not_follow_shows_on_the_board_at_once_and_the_sweep_follows_its_hint_and_clears_it()
    {
        var shard = UnitShard.Of(_province.Units[7].Id);
        var (unit, task) = await OpenAssignmentAsync(shard) ?? throw new InvalidOperationException("The seeded province has no open assignment in the shard.");
        var sentAt = _province.Now.AddMinutes(-2); // older than the sweep's grace

        // The version and its hint are stored; the process stops before the read models follow.
        var appended = await _ledger.AppendAsync(Done(unit, task, sentAt), sentAt, Ct);

        Assert.Equal(shard, appended.Hint?.Shard);
        Assert.Equal([shard], (await _ledger.HintsAsync(Directive.Id, Ct)).Select(h => h.Shard));
        var stale = await _app.Services.GetRequiredService<IProgressStore>().BoardShardAsync(Directive.Id, shard, Ct);
        Assert.Null(stale!.Value.Units[unit][2]?.CompletedAt);
        Assert.Equal(sentAt, await BoardCompletionAsync(unit, task)); // built on the spot from the progress

        var repaired = await _app.Services.GetRequiredService<ProgressProjector>().RepairAsync(TimeSpan.FromDays(60), Ct);

        Assert.Equal(new RepairOutcome(0, 1), repaired);
        Assert.Empty(await _ledger.HintsAsync(Directive.Id, Ct));
        var followed = await _app.Services.GetRequiredService<IProgressStore>().BoardShardAsync(Directive.Id, shard, Ct);
        Assert.Equal(sentAt, followed!.Value.Units[unit][2]?.CompletedAt);
        Assert.Equal(sentAt, await BoardCompletionAsync(unit, task));
    }

    [Fact]
    public async Task Clearing_a_shards_hint_leaves_the_other_shards_hints_and_a_hint_a_later_post_set_again()
    {
        var untouched = new List<(UnitShard Shard, UnitId Unit, TaskId Task)>();
        foreach (var shard in UnitShard.All)
        {
            if (await OpenAssignmentAsync(shard, nothingSent: true) is { } open)
            {
                untouched.Add((shard, open.Unit, open.Task));
            }
        }

        var shards = untouched.Take(2).Select(u => u.Shard).ToList();
        var (a, taskA) = (untouched[0].Unit, untouched[0].Task);
        var (b, taskB) = (untouched[1].Unit, untouched[1].Task);
        var now = _province.Now;

        var first = (await _ledger.AppendAsync(InProgress(a, taskA, now.AddMinutes(-3)), now.AddMinutes(-3), Ct)).Hint!;
        var other = (await _ledger.AppendAsync(Done(b, taskB, now.AddMinutes(-2)), now.AddMinutes(-2), Ct)).Hint!;
        var again = (await _ledger.AppendAsync(Done(a, taskA, now.AddMinutes(-1)), now.AddMinutes(-1), Ct)).Hint!; // same shard, mark changed again

        Assert.Equal([(shards[0], again.At), (shards[1], other.At)], await HintsAsync());

        await _ledger.ClearHintAsync(first, Ct); // followed by the first post's projection: the later post's hint stays for it
        Assert.Equal([(shards[0], again.At), (shards[1], other.At)], await HintsAsync());

        await _ledger.ClearHintAsync(other, Ct);
        Assert.Equal([(shards[0], again.At)], await HintsAsync());

        await _ledger.ClearHintAsync(again, Ct);
        await _ledger.ClearHintAsync(again, Ct); // twice: nothing more to do
        Assert.Empty(await HintsAsync());
    }

    [Fact]
    public async Task A_hint_without_the_post_that_set_it_fails_the_board_and_the_log_names_the_row_and_field()
    {
        var table = new TableServiceClient(storage.ConnectionString).GetTableClient(_app.Prefix + "submissions");
        await table.UpsertEntityAsync(new TableEntity(Directive.Id.Value, "~h") { ["At03"] = DateTimeOffset.UtcNow }, TableUpdateMode.Replace, Ct);

        using var response = await _office.SendAsync(HttpMethod.Get, $"office/directives/{Directive.Id}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains($"'{Directive.Id}' / '~h': field By03 is missing", StringComparison.Ordinal));
    }

    /// <summary>An assignment of the shard on the directive's last task (not due yet) that is not done — with nothing sent at all when asked — if there is one.</summary>
    private async Task<(UnitId Unit, TaskId Task)?> OpenAssignmentAsync(UnitShard shard, bool nothingSent = false)
    {
        var task = Directive.Tasks[2].Id;
        var progress = await _ledger.ProgressAsync(Directive.Id, shard, Ct);
        var open = _province.Units.Where(u => UnitShard.Of(u.Id) == shard)
            .Select(u => (Unit: u.Id, Task: task))
            .Where(k => progress.GetValueOrDefault(k) is not { } p || (!nothingSent && !p.Mark.IsDone))
            .ToList();
        return open.Count > 0 ? open[0] : null;
    }

    private async Task<List<(UnitShard Shard, DateTimeOffset At)>> HintsAsync() =>
        (await _ledger.HintsAsync(Directive.Id, Ct)).Select(h => (h.Shard, h.At)).OrderBy(h => h.Shard.Key, StringComparer.Ordinal).ToList();

    private async Task<DateTimeOffset?> BoardCompletionAsync(UnitId unit, TaskId task)
    {
        var tree = await _app.Services.GetRequiredService<UnitRegistry>().TreeAsync(Ct);
        var view = (await _app.Services.GetRequiredService<OfficeDesk>().ViewAsync(Directive.Id.Value, tree, Ct)).Value;
        return view.Assignments.Single(a => a.UnitId == unit && a.Task.Id == task).Standing.CompletedAt;
    }

    private SubmissionVersion Done(UnitId unit, TaskId task, DateTimeOffset at) => Version(unit, task, at, new SubmissionInput(SubmissionStatus.Done, "Đã thực hiện xong."));

    private SubmissionVersion InProgress(UnitId unit, TaskId task, DateTimeOffset at) => Version(unit, task, at, new SubmissionInput(SubmissionStatus.InProgress, "Đang thực hiện."));

    private SubmissionVersion Version(UnitId unit, TaskId task, DateTimeOffset at, SubmissionInput input) =>
        new(SubmissionVersion.DeriveId(Directive.Id, task, unit, input, null, at), Directive.Id, task, unit, at, input.Status, input.Note, false, []);
}
