using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Shared.Wire;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Submissions;

/// <summary>
/// Submission versions in table <c>submissions</c>, one partition per directive (PartitionKey = directive id):
/// <list type="bullet">
/// <item>RowKey <c>{unitId}|{taskId}|{versionId}</c>: a version. A unit's page reads its rows with one
/// range query (<c>{unitId}|</c>), the office's view reads every version row of the partition. The
/// version id is derived from the Idempotency-Key or the content (<see cref="SubmissionVersion.DeriveId"/>)
/// and versions are only ever added, so a repeated or concurrent duplicate post cannot make a second row.</item>
/// <item>RowKey <c>~p|{shard}|{unitId}|{taskId}</c>: the assignment's <see cref="AssignmentProgress"/>,
/// written in the SAME transaction as each version and conditional on the ETag it was folded from,
/// so it is always exactly the fold of the versions beside it.</item>
/// <item>RowKey <c>~h</c>: the directive's hints, one row for all its shards, so every board load (and the
/// sweep, per directive) reads them with one point read — the cheapest read Table storage has — instead of
/// a range query in a partition that holds every version and progress row of the directive (Azurite
/// answers any query by scanning the whole table: at a province's scale a range read of the hints took
/// most of a board's time, see bench/results/office-pages.md). Per shard whose read
/// models must follow: <c>At{shard}</c> (when) and <c>By{shard}</c> (the key of the version whose post
/// set it). Merged into the row in the post's transaction when the assignment's mark changes; a shard's
/// pair is removed (conditionally on the row's ETag, and only if <c>By</c> is still the same post's)
/// once its read models have followed; the row goes with the last pair.</item>
/// </list>
/// Unit ids are lowercase letters, digits and hyphens, so every version key sorts before <c>~</c>.
/// A post is one transaction: the version, its progress (and a hint when the mark changes). The
/// progress and its ETag are kept in memory after the first post of an assignment; another instance's
/// write makes the transaction fail on the ETag, and the row is read again.
/// </summary>
public sealed class TableSubmissionStore(TableServiceClient tables, StorageNames names) : ISubmissionLedger
{
    public const string TableName = "submissions";

    /// <summary>Past this many assignments, progress is read from the table before each post instead of being kept in memory.</summary>
    public const int MaxCachedProgress = 200_000;

    private const string ProgressPrefix = "~p|";
    private const string HintsRow = "~h";
    private const string HintAt = "At";
    private const string HintBy = "By";
    private const string VersionsEnd = "~";
    private const int Attempts = 8;

    private readonly ConcurrentDictionary<(DirectiveId, UnitId, TaskId), Versioned<AssignmentProgress>> _progress = new();

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<IReadOnlyList<SubmissionVersion>> ListAsync(DirectiveId directive, UnitId? unit, CancellationToken cancellationToken)
    {
        var rows = unit is { } u
            ? Table.QueryPrefixAsync(directive.Value, u.Value + "|", cancellationToken)
            : Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {directive.Value} and RowKey lt {VersionsEnd}"), cancellationToken: cancellationToken);
        var versions = new List<SubmissionVersion>();
        await foreach (var row in rows)
        {
            versions.Add(ToVersion(row));
        }

        return versions;
    }

    public async Task<SubmissionVersion?> GetAsync(DirectiveId directive, UnitId unit, TaskId task, string versionId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(directive.Value, RowKey(unit, task, versionId), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? ToVersion(e) : null;
    }

    public async Task<(SubmissionVersion Stored, bool Added)> AddIfAbsentAsync(SubmissionVersion version, CancellationToken cancellationToken)
    {
        var appended = await AppendAsync(version, version.At, cancellationToken);
        return (appended.Stored, appended.Added);
    }

    public async Task<SubmissionAppended> AppendAsync(SubmissionVersion version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = (version.DirectiveId, version.UnitId, version.TaskId);
        var shard = UnitShard.Of(version.UnitId);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = _progress.TryGetValue(key, out var cached) ? cached : await ReadProgressAsync(version.DirectiveId, version.UnitId, version.TaskId, cancellationToken);
            var after = current.Value.IsBefore(version)
                ? current.Value.Apply(version)
                : AssignmentProgress.Of((await ListAssignmentAsync(version.DirectiveId, version.UnitId, version.TaskId, cancellationToken)).Append(version));
            var hinted = after.Mark != current.Value.Mark;
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, ToEntity(version)),
                TableExtensions.Conditional(ToEntity(version.DirectiveId, version.UnitId, version.TaskId, after), current.Version),
            };
            var setter = RowKey(version.UnitId, version.TaskId, version.VersionId);
            if (hinted)
            {
                // Merged: the other shards' hints in the row stay as they are.
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity(version.DirectiveId.Value, HintsRow)
                {
                    [HintAt + shard.Key] = now,
                    [HintBy + shard.Key] = setter,
                }));
            }

            try
            {
                var done = await Table.SubmitTransactionAsync(actions, cancellationToken);
                Remember(key, new Versioned<AssignmentProgress>(after, VersionOf(done.Value[1])));
                var hint = hinted ? new ProgressHint(version.DirectiveId, shard, now, new StoredVersion(setter)) : null;
                return new SubmissionAppended(version, true, current.Value.Mark, after.Mark, hint);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 && ex.FailedTransactionActionIndex == 0)
            {
                // A version with this id is stored: this post repeats it.
                var existing = await Table.GetEntityAsync<TableEntity>(version.DirectiveId.Value, RowKey(version.UnitId, version.TaskId, version.VersionId), cancellationToken: cancellationToken);
                return new SubmissionAppended(ToVersion(existing.Value), false, current.Value.Mark, current.Value.Mark, null);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // The progress changed since it was read (another post, another instance): read it again.
                _progress.TryRemove(key, out _);
            }
        }

        throw new InvalidOperationException("The assignment's progress kept changing under this post; the caller may post again with the same key.");
    }

    public async Task<Result<int>> ImportAsync(DirectiveId directive, IReadOnlyCollection<SubmissionVersion> versions, CancellationToken cancellationToken)
    {
        if (versions.Any(v => v.DirectiveId != directive))
        {
            throw new ArgumentException("Every version must be of the directive imported.", nameof(versions));
        }

        await foreach (var _ in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {directive.Value} and RowKey lt {VersionsEnd}"), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return Error.Conflict("already-reported", "Directive already has versions: its units' posts go through AppendAsync.");
        }

        // An assignment's versions and its progress row, kept in one transaction; transactions filled up to 100 rows.
        // Upserts: the directive had no version, so nothing is replaced but what this import wrote — a transaction
        // the client retried after a time-out (it had gone through) writes the same rows again instead of failing.
        var transactions = new List<List<TableTransactionAction>> { new() };
        foreach (var assignment in versions.GroupBy(v => (v.UnitId, v.TaskId)))
        {
            var rows = assignment.Select(v => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(v)))
                .Append(new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(directive, assignment.Key.UnitId, assignment.Key.TaskId, AssignmentProgress.Of(assignment))))
                .ToList();
            if (rows.Count > 100)
            {
                throw new ArgumentException($"An assignment ({assignment.Key.UnitId}, {assignment.Key.TaskId}) with more than 99 versions cannot be imported in one transaction.", nameof(versions));
            }

            if (transactions[^1].Count + rows.Count > 100)
            {
                transactions.Add([]);
            }

            transactions[^1].AddRange(rows);
        }

        await Parallel.ForEachAsync(transactions.Where(t => t.Count > 0), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (actions, ct) =>
            await Table.SubmitTransactionAsync(actions, ct));
        return versions.Count;
    }

    public async Task<IReadOnlyDictionary<(UnitId Unit, TaskId Task), AssignmentProgress>> ProgressAsync(DirectiveId directive, UnitShard shard, CancellationToken cancellationToken)
    {
        var progress = new Dictionary<(UnitId, TaskId), AssignmentProgress>();
        await foreach (var row in Table.QueryPrefixAsync(directive.Value, $"{ProgressPrefix}{shard.Key}|", cancellationToken))
        {
            var (unit, task) = ProgressKey(row);
            progress[(unit, task)] = ToProgress(row);
        }

        return progress;
    }

    /// <summary>The directive's hints: one point read, whatever the number of versions.</summary>
    public async Task<IReadOnlyList<ProgressHint>> HintsAsync(DirectiveId directive, CancellationToken cancellationToken) =>
        await ReadHintsAsync(directive, cancellationToken) is { } row ? Hints(directive, row) : [];

    /// <summary>
    /// Removes the hint's shard from the directive's hints if the same post's hint is still there (<c>By</c>
    /// unchanged), conditionally on the row's ETag: a hint another post set again since stays for it, and
    /// the other shards' hints stay. Another shard's hint set or cleared in between: read again.
    /// </summary>
    public async Task ClearHintAsync(ProgressHint hint, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (await ReadHintsAsync(hint.Directive, cancellationToken) is not { } row)
            {
                return; // cleared already
            }

            var hints = Hints(hint.Directive, row);
            if (!hints.Any(h => h.Shard == hint.Shard && h.Version == hint.Version))
            {
                return; // cleared already, or set again by a later post that will clear it
            }

            var others = hints.Where(h => h.Shard != hint.Shard).ToList();
            var rest = new TableEntity(hint.Directive.Value, HintsRow);
            foreach (var other in others)
            {
                rest[HintAt + other.Shard.Key] = other.At;
                rest[HintBy + other.Shard.Key] = other.Version.Token;
            }

            try
            {
                if (others.Count > 0)
                {
                    await Table.UpdateEntityAsync(rest, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await Table.DeleteEntityAsync(hint.Directive.Value, HintsRow, row.ETag, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Another shard's hint was set or cleared since the row was read: read it again.
            }
        }

        // Still changing: the hint stays, and the sweep follows it again (following twice changes nothing).
    }

    public async Task<int> RestoreProgressAsync(DirectiveId directive, CancellationToken cancellationToken)
    {
        var folded = (await ListAsync(directive, null, cancellationToken))
            .GroupBy(v => (v.UnitId, v.TaskId))
            .ToDictionary(g => g.Key, g => AssignmentProgress.Of(g));
        var stored = new Dictionary<(UnitId, TaskId), Versioned<AssignmentProgress>>();
        await foreach (var row in Table.QueryPrefixAsync(directive.Value, ProgressPrefix, cancellationToken))
        {
            stored[ProgressKey(row)] = new Versioned<AssignmentProgress>(ToProgress(row), row.Version());
        }

        var written = 0;
        foreach (var ((unit, task), progress) in folded)
        {
            var current = stored.GetValueOrDefault((unit, task));
            if (current?.Value == progress)
            {
                continue;
            }

            // Conditional: a post that got there first wrote the fold of every version, this one's included.
            _progress.TryRemove((directive, unit, task), out _);
            if ((await Table.WriteConditionallyAsync(ToEntity(directive, unit, task, progress), current?.Version, cancellationToken)).IsSuccess)
            {
                written++;
            }
        }

        return written;
    }

    private async Task<TableEntity?> ReadHintsAsync(DirectiveId directive, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(directive.Value, HintsRow, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>The hints of the row: a shard with only one of its two fields is a corrupt row.</summary>
    private static List<ProgressHint> Hints(DirectiveId directive, TableEntity row)
    {
        var hints = new List<ProgressHint>();
        foreach (var shard in UnitShard.All)
        {
            var at = row.OptionalInstant(HintAt + shard.Key);
            var by = row.OptionalString(HintBy + shard.Key);
            if (at is null && by is null)
            {
                continue;
            }

            if (at is not { } set)
            {
                throw CorruptRowException.For(row, HintAt + shard.Key, $"is missing beside {HintBy}{shard.Key}");
            }

            if (string.IsNullOrEmpty(by))
            {
                throw CorruptRowException.For(row, HintBy + shard.Key, $"is missing beside {HintAt}{shard.Key}");
            }

            hints.Add(new ProgressHint(directive, shard, set, new StoredVersion(by)));
        }

        return hints;
    }

    /// <summary>The assignment's progress as stored, or — where none is — folded from its versions (versions stored before progress was kept), with no version: the write adds the row.</summary>
    private async Task<Versioned<AssignmentProgress>> ReadProgressAsync(DirectiveId directive, UnitId unit, TaskId task, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(directive.Value, ProgressRowKey(unit, task), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e
            ? new Versioned<AssignmentProgress>(ToProgress(e), e.Version())
            : new Versioned<AssignmentProgress>(AssignmentProgress.Of(await ListAssignmentAsync(directive, unit, task, cancellationToken)), null);
    }

    private async Task<IReadOnlyList<SubmissionVersion>> ListAssignmentAsync(DirectiveId directive, UnitId unit, TaskId task, CancellationToken cancellationToken)
    {
        var versions = new List<SubmissionVersion>();
        await foreach (var row in Table.QueryPrefixAsync(directive.Value, $"{unit}|{task}|", cancellationToken))
        {
            versions.Add(ToVersion(row));
        }

        return versions;
    }

    private void Remember((DirectiveId, UnitId, TaskId) key, Versioned<AssignmentProgress> progress)
    {
        if (_progress.Count < MaxCachedProgress || _progress.ContainsKey(key))
        {
            _progress[key] = progress;
        }
    }

    private static StoredVersion VersionOf(Response written) =>
        new(written.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table storage answered a write in a transaction without an ETag."));

    private static string RowKey(UnitId unit, TaskId task, string versionId) => $"{unit}|{task}|{versionId}";

    private static string ProgressRowKey(UnitId unit, TaskId task) => $"{ProgressPrefix}{UnitShard.Of(unit).Key}|{unit}|{task}";

    private static (UnitId Unit, TaskId Task) ProgressKey(TableEntity row)
    {
        var parts = row.RowKey.Split('|');
        if (parts.Length != 4)
        {
            throw CorruptRowException.For(row, "RowKey", "is not ~p|{shard}|{unit}|{task}");
        }

        return (row.Parsed("RowKey", parts[2], u => UnitId.Parse(u)), row.Parsed("RowKey", parts[3], TaskId.Parse));
    }

    private static TableEntity ToEntity(SubmissionVersion version) => new(version.DirectiveId.Value, RowKey(version.UnitId, version.TaskId, version.VersionId))
    {
        ["VersionId"] = version.VersionId,
        ["TaskId"] = version.TaskId.Value,
        ["UnitId"] = version.UnitId.Value,
        ["At"] = version.At,
        ["Status"] = WireFormat.Name(version.Status),
        ["Note"] = version.Note,
        ["Late"] = version.Late,
        ["Attachments"] = JsonSerializer.Serialize(version.Attachments, AttachmentsContext.Default.IReadOnlyListString),
    };

    private static TableEntity ToEntity(DirectiveId directive, UnitId unit, TaskId task, AssignmentProgress progress) => new(directive.Value, ProgressRowKey(unit, task))
    {
        ["Versions"] = progress.Versions,
        ["LatestVersionId"] = progress.LatestVersionId,
        ["LatestAt"] = progress.LatestAt,
        ["LatestStatus"] = progress.LatestStatus is { } s ? WireFormat.Name(s) : null,
        ["CompletedAt"] = progress.CompletedAt,
    };

    private static AssignmentProgress ToProgress(TableEntity e) => new(
        e.RequiredInt("Versions"),
        e.RequiredString("LatestVersionId"),
        e.RequiredInstant("LatestAt"),
        e.Required("LatestStatus", s => SubmissionStatuses.Parse(s)),
        e.OptionalInstant("CompletedAt"));

    private static SubmissionVersion ToVersion(TableEntity e) => new(
        e.RequiredString("VersionId"),
        e.Parsed("PartitionKey", e.PartitionKey, DirectiveId.Parse),
        e.Required("TaskId", TaskId.Parse),
        e.Required("UnitId", u => UnitId.Parse(u)),
        e.RequiredInstant("At"),
        e.Required("Status", s => SubmissionStatuses.Parse(s)),
        e.OptionalString("Note") ?? string.Empty,
        e.RequiredBool("Late"),
        e.RequiredJson("Attachments", AttachmentsContext.Default.IReadOnlyListString));
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class AttachmentsContext : System.Text.Json.Serialization.JsonSerializerContext;
