using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Features.Submissions;
using ServerlessWorkflow.Functions.Storage;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Storage;

/// <summary>
/// The assignment summary that lets a post read one row instead of the history, against a real
/// Azurite: after any mix of posts — concurrent, repeated, out of order — it equals the fold of the
/// versions actually stored, so the standing it gives equals the standing from the history.
/// </summary>
public sealed class SubmissionSummaryTests(StorageFixture storage)
{
    private static readonly DirectiveId Directive = DirectiveId.New();
    private static readonly UnitId Unit = UnitId.Parse("chi-bo-a").Value;
    private static readonly TaskId Task1 = TaskId.ForIndex(0);
    private static readonly DateTimeOffset Start = new(2026, 2, 20, 9, 0, 0, TimeSpan.FromHours(7));

    private static SubmissionVersion Version(string id, int minutes, SubmissionStatus status) =>
        new(id, Directive, Task1, Unit, Start.AddMinutes(minutes), status, "ghi chú " + id, false, []);

    private async Task<TableSubmissionStore> StoreAsync()
    {
        var names = new StorageNames(StorageFixture.NewPrefix());
        var tables = new TableServiceClient(storage.ConnectionString);
        await tables.CreateTableIfNotExistsAsync(names.Table(TableSubmissionStore.TableName), TestContext.Current.CancellationToken);
        return new TableSubmissionStore(tables, names);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task After_concurrent_repeated_and_out_of_order_posts_the_summary_equals_the_fold_of_the_stored_versions(int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await StoreAsync();
        var random = new Random(seed);
        var versions = Enumerable.Range(0, 24)
            .Select(i => Version($"v{i:00}", random.Next(0, 600), random.Next(3) == 0 ? SubmissionStatus.InProgress : SubmissionStatus.Done))
            .ToList();
        var posts = versions.Concat(versions.Take(6)).OrderBy(_ => random.Next()).ToList();

        // Eight at a time, so posts race for the same summary row.
        foreach (var batch in posts.Chunk(8))
        {
            await Task.WhenAll(batch.Select(v => store.AddIfAbsentAsync(v, ct)));
        }

        var stored = await store.ListAsync(Directive, Unit, ct);
        var summary = await store.SummaryAsync(Directive, Unit, Task1, ct);
        Assert.Equal(versions.Count, stored.Count);
        Assert.Equal(AssignmentSummary.Of(stored) with { Latest = null }, summary with { Latest = null, StoredVersion = null });
        Assert.Equal(AssignmentSummary.Of(stored).Latest!.VersionId, summary.Latest!.VersionId);
        var deadline = Deadline.EndOfDay(new DateOnly(2026, 2, 20));
        var fromHistory = AssignmentStanding.Evaluate(deadline, stored, Start.AddDays(2));
        var fromSummary = AssignmentStanding.From(deadline, summary, Start.AddDays(2));
        Assert.Equal(fromHistory with { Latest = null }, fromSummary with { Latest = null });
    }

    [Fact]
    public async Task Adding_a_version_that_exists_answers_the_stored_one_and_leaves_the_summary_as_it_was()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await StoreAsync();
        var first = await store.AddIfAbsentAsync(Version("a", 0, SubmissionStatus.Done), ct);
        var again = await store.AddIfAbsentAsync(Version("a", 5, SubmissionStatus.InProgress), ct);

        Assert.True(first.Added);
        Assert.False(again.Added);
        Assert.Equal(SubmissionStatus.Done, again.Stored.Status);
        Assert.Equal(1, again.Summary.Versions);
        Assert.Equal(Start, again.Summary.CompletedAt);
    }

    [Fact]
    public void Folding_versions_gives_the_completion_instant_of_the_first_done_after_the_last_in_progress()
    {
        var summary = AssignmentSummary.Of([
            Version("c", 20, SubmissionStatus.Done),
            Version("a", 0, SubmissionStatus.Done),
            Version("b", 10, SubmissionStatus.InProgress),
            Version("d", 30, SubmissionStatus.Done),
        ]);

        Assert.Equal(4, summary.Versions);
        Assert.Equal("d", summary.Latest!.VersionId);
        Assert.Equal(Start.AddMinutes(20), summary.CompletedAt);
        Assert.False(summary.IsNewer(Version("x", 25, SubmissionStatus.Done)));
        Assert.Null(summary.Apply(Version("e", 40, SubmissionStatus.InProgress)).CompletedAt);
    }
}
