using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Progress;

/// <summary>
/// The submissions as the read models need them: beside every version, its assignment's
/// <see cref="AssignmentProgress"/>, written in the same transaction; and, in that transaction too
/// when the assignment's mark changes, a hint that the shard's read models must follow.
/// </summary>
public interface ISubmissionLedger : ISubmissionStore
{
    /// <summary>
    /// Adds <paramref name="version"/> unless a version with its id exists, its assignment's progress
    /// with it (atomically), and a hint when the mark changes; <paramref name="now"/> dates the hint.
    /// </summary>
    Task<SubmissionAppended> AppendAsync(SubmissionVersion version, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Brings in the history of a directive none of whose units has reported yet — versions kept
    /// elsewhere before (the office's own tables), or the bench's province — at once: each version,
    /// and each assignment's progress folded from its versions, in transactions of up to 100 rows
    /// (an assignment's rows together, written as upserts so a transaction retried after a time-out does no
    /// harm), several at a time. No hint is left: build the read models
    /// afterwards (<see cref="ProgressProjector.RegisteredAsync"/>). A directive that already has a
    /// version gets a Conflict value and nothing is written: units' posts go through <see cref="AppendAsync"/>.
    /// </summary>
    Task<Result<int>> ImportAsync(DirectiveId directive, IReadOnlyCollection<SubmissionVersion> versions, CancellationToken cancellationToken);

    /// <summary>The progress of every assignment of shard <paramref name="shard"/> of the directive that has a version.</summary>
    Task<IReadOnlyDictionary<(UnitId Unit, TaskId Task), AssignmentProgress>> ProgressAsync(DirectiveId directive, UnitShard shard, CancellationToken cancellationToken);

    /// <summary>The hints of the directive not yet cleared: every board reads them, so they are one read whatever the directive's versions.</summary>
    Task<IReadOnlyList<ProgressHint>> HintsAsync(DirectiveId directive, CancellationToken cancellationToken);

    /// <summary>Clears the hint if nobody set it again since it was read; a hint set again stays for whoever set it.</summary>
    Task ClearHintAsync(ProgressHint hint, CancellationToken cancellationToken);

    /// <summary>
    /// Folds the versions of every assignment of the directive again and writes the progress where it
    /// is missing or differs (versions stored before progress was kept, or a row lost); returns how many it wrote.
    /// </summary>
    Task<int> RestoreProgressAsync(DirectiveId directive, CancellationToken cancellationToken);
}

/// <summary>What appending a version did: the version that counts (this one or the one stored before under its id), whether this call added it, the mark before and after, and the hint it left when the mark changed.</summary>
public sealed record SubmissionAppended(SubmissionVersion Stored, bool Added, AssignmentMark Before, AssignmentMark After, ProgressHint? Hint);

/// <summary>
/// A shard of a directive whose read models may lag its submissions, since <see cref="At"/>; cleared once they follow.
/// <see cref="Version"/> tells the store whether the hint was set again since (by another post) when it is cleared.
/// </summary>
public sealed record ProgressHint(DirectiveId Directive, UnitShard Shard, DateTimeOffset At, StoredVersion Version);

/// <summary>
/// The office's read models: each directive's board (one row per shard), each directive's counts
/// (one row per directive, all in one place for the office's list), and the units' records by month
/// (one row per shard and month). Every write is conditional on the version read.
/// </summary>
public interface IProgressStore
{
    /// <summary>Every shard of the directive's board that is stored.</summary>
    Task<IReadOnlyList<BoardShard>> BoardAsync(DirectiveId directive, CancellationToken cancellationToken);

    Task<Versioned<BoardShard>?> BoardShardAsync(DirectiveId directive, UnitShard shard, CancellationToken cancellationToken);

    Task<Result<bool>> PutBoardShardAsync(BoardShard board, StoredVersion? expected, CancellationToken cancellationToken);

    /// <summary>Every directive's counts: one query, whatever the number of directives.</summary>
    Task<IReadOnlyList<DirectiveTally>> TalliesAsync(CancellationToken cancellationToken);

    Task<Versioned<DirectiveTally>?> TallyAsync(DirectiveId directive, CancellationToken cancellationToken);

    Task<Result<bool>> PutTallyAsync(DirectiveTally tally, StoredVersion? expected, CancellationToken cancellationToken);

    Task<Versioned<UnitMonthShard>?> UnitMonthAsync(Month month, UnitShard shard, CancellationToken cancellationToken);

    /// <summary>Every shard of every month of the period: one query.</summary>
    Task<IReadOnlyList<UnitMonthShard>> UnitMonthsAsync(Period period, CancellationToken cancellationToken);

    Task<Result<bool>> PutUnitMonthAsync(UnitMonthShard month, StoredVersion? expected, CancellationToken cancellationToken);
}
