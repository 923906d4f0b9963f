using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Functions.Features.Progress;

/// <summary>
/// The submission store as every writer sees it (the unit's post, the statistics import): a version
/// added also brings the office's read models along when it changes its assignment's mark (a first
/// report, "in progress" ↔ "done"). The version and the hint are stored first, in one transaction;
/// if following the hint fails, the post still stands and the repair sweep follows the hint later.
/// </summary>
public sealed partial class ProjectedSubmissionStore(ISubmissionLedger ledger, ProgressProjector projector, TimeProvider time, ILogger<ProjectedSubmissionStore> logger) : ISubmissionStore
{
    public Task<IReadOnlyList<SubmissionVersion>> ListAsync(DirectiveId directive, UnitId? unit, CancellationToken cancellationToken) =>
        ledger.ListAsync(directive, unit, cancellationToken);

    public Task<SubmissionVersion?> GetAsync(DirectiveId directive, UnitId unit, TaskId task, string versionId, CancellationToken cancellationToken) =>
        ledger.GetAsync(directive, unit, task, versionId, cancellationToken);

    public async Task<(SubmissionVersion Stored, bool Added)> AddIfAbsentAsync(SubmissionVersion version, CancellationToken cancellationToken)
    {
        var appended = await ledger.AppendAsync(version, time.GetUtcNow(), cancellationToken);
        if (appended.Hint is { } hint)
        {
            try
            {
                await projector.FollowAsync(hint, version.TaskId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogNotFollowed(logger, ex, version.DirectiveId.Value, hint.Shard.Key);
            }
        }

        return (appended.Stored, appended.Added);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The read models of directive {DirectiveId}, shard {Shard}, did not follow a submission; the repair sweep will")]
    private static partial void LogNotFollowed(ILogger logger, Exception exception, string directiveId, string shard);
}
