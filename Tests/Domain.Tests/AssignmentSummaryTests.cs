using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>The fold of an assignment's versions: the one definition of when a task was completed.</summary>
public sealed class AssignmentSummaryTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 20, 9, 0, 0, TimeSpan.FromHours(7));

    private static SubmissionVersion Version(string id, int minutes, SubmissionStatus status) =>
        new(id, DirectiveId.New(), TaskId.ForIndex(0), UnitId.Parse("chi-bo-a").Value, Start.AddMinutes(minutes), status, "ghi chú " + id, false, []);

    [Fact]
    public void Folding_versions_in_any_order_gives_the_first_done_after_the_last_in_progress()
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
        Assert.Null(summary.Apply(Version("e", 40, SubmissionStatus.InProgress)).CompletedAt);
        Assert.Equal(AssignmentSummary.None, AssignmentSummary.Of([]));
    }
}
