using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Submissions;

/// <summary>
/// Submission versions in table <c>submissions</c>: PartitionKey = directive id, RowKey
/// <c>{unitId}|{taskId}|{versionId}</c>. A unit's page reads its rows with one range query
/// (<c>{unitId}|</c>), the office's view reads the partition. The version id is derived from the
/// Idempotency-Key or the content (see <see cref="SubmissionVersion.DeriveId"/>), and rows are only
/// ever added (AddEntity), so a repeated or concurrent duplicate post cannot make a second row.
/// Versions are never updated: every version is kept. Beside them, one summary row per assignment,
/// RowKey <c>~{unitId}|{taskId}</c> ('~' is never part of a unit id), holds what the standing needs
/// (<see cref="AssignmentSummary"/>); a version and its summary are written in ONE transaction,
/// conditional on the summary's ETag, so the summary always equals the fold of the versions and a
/// post reads one row instead of the unit's history. A missing summary (data from before it
/// existed) is rebuilt from the versions on first use; so is one that a version older than its
/// latest would have to be slotted into (an upload processed after a later post).
/// </summary>
public sealed class TableSubmissionStore(TableServiceClient tables, StorageNames names) : ISubmissionStore
{
    public const string TableName = "submissions";

    /// <summary>Tries of a post racing others for the same assignment's summary; past them the post fails (503 for the caller to retry).</summary>
    public const int MaxAttempts = 16;

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<IReadOnlyList<SubmissionVersion>> ListAsync(DirectiveId directive, UnitId? unit, CancellationToken cancellationToken)
    {
        var rows = unit is { } u
            ? Table.QueryPrefixAsync(directive.Value, u.Value + "|", cancellationToken)
            : Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {directive.Value}"), cancellationToken: cancellationToken);
        var versions = new List<SubmissionVersion>();
        await foreach (var row in rows)
        {
            if (!row.RowKey.StartsWith('~'))
            {
                versions.Add(ToVersion(row));
            }
        }

        return versions;
    }

    public Task<AssignmentSummary> SummaryAsync(DirectiveId directive, UnitId unit, TaskId task, CancellationToken cancellationToken) =>
        ReadSummaryAsync(directive, unit, task, cancellationToken);

    public async Task<(SubmissionVersion Stored, bool Added, AssignmentSummary Summary)> AddIfAbsentAsync(SubmissionVersion version, CancellationToken cancellationToken, AssignmentSummary? current = null)
    {
        var versionKey = $"{version.UnitId}|{version.TaskId}|{version.VersionId}";
        for (var attempt = 0; ; attempt++)
        {
            var summary = attempt == 0 && current is not null ? current : await ReadSummaryAsync(version.DirectiveId, version.UnitId, version.TaskId, cancellationToken);
            var after = summary.IsNewer(version)
                ? summary.Apply(version)
                : AssignmentSummary.Of([.. await HistoryAsync(version.DirectiveId, version.UnitId, version.TaskId, cancellationToken), version]);
            var summaryRow = SummaryRow(version.DirectiveId, version.UnitId, version.TaskId, after);
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.Add, VersionRow(version, versionKey)),
                summary.StoredVersion is { } etag
                    ? new(TableTransactionActionType.UpdateReplace, summaryRow, new ETag(etag))
                    : new(TableTransactionActionType.Add, summaryRow),
            ];
            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken);
                return (version, true, after);
            }
            catch (TableTransactionFailedException) when (attempt < MaxAttempts)
            {
                // Either the version exists (a repeat: answer with it) or the summary moved (another post won: read again).
                var existing = await Table.GetEntityIfExistsAsync<TableEntity>(version.DirectiveId.Value, versionKey, cancellationToken: cancellationToken);
                if (existing.HasValue && existing.Value is { } row)
                {
                    return (ToVersion(row), false, await ReadSummaryAsync(version.DirectiveId, version.UnitId, version.TaskId, cancellationToken));
                }

                // Posts racing for one assignment: spread the next tries so they stop colliding.
                await Task.Delay(Random.Shared.Next(1, 8 << Math.Min(attempt, 4)), cancellationToken);
            }
        }
    }

    private static string SummaryKey(UnitId unit, TaskId task) => $"~{unit}|{task}";

    private async Task<AssignmentSummary> ReadSummaryAsync(DirectiveId directive, UnitId unit, TaskId task, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(directive.Value, SummaryKey(unit, task), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e
            ? new AssignmentSummary(e.GetInt32("Versions") ?? 0, e.GetString("VersionId") is null ? null : ToVersion(e), e.GetDateTimeOffset("CompletedAt"), e.ETag.ToString())
            : AssignmentSummary.Of(await HistoryAsync(directive, unit, task, cancellationToken));
    }

    private async Task<List<SubmissionVersion>> HistoryAsync(DirectiveId directive, UnitId unit, TaskId task, CancellationToken cancellationToken)
    {
        var versions = new List<SubmissionVersion>();
        await foreach (var row in Table.QueryPrefixAsync(directive.Value, $"{unit}|{task}|", cancellationToken))
        {
            versions.Add(ToVersion(row));
        }

        return versions;
    }

    /// <summary>A version row; the summary row carries the same columns for its latest version.</summary>
    private static TableEntity VersionRow(SubmissionVersion version, string rowKey) => new(version.DirectiveId.Value, rowKey)
    {
        ["VersionId"] = version.VersionId,
        ["TaskId"] = version.TaskId.Value,
        ["UnitId"] = version.UnitId.Value,
        ["At"] = version.At,
        ["Status"] = SubmissionStatuses.Wire(version.Status),
        ["Note"] = version.Note,
        ["Late"] = version.Late,
        ["Attachments"] = JsonSerializer.Serialize(version.Attachments, AttachmentsContext.Default.IReadOnlyListString),
    };

    private static TableEntity SummaryRow(DirectiveId directive, UnitId unit, TaskId task, AssignmentSummary summary)
    {
        var row = summary.Latest is { } latest ? VersionRow(latest, SummaryKey(unit, task)) : new TableEntity(directive.Value, SummaryKey(unit, task));
        row["Versions"] = summary.Versions;
        row["CompletedAt"] = summary.CompletedAt;
        return row;
    }

    private static SubmissionVersion ToVersion(TableEntity e) => new(
        e.GetString("VersionId"),
        DirectiveId.Parse(e.PartitionKey).Value,
        TaskId.Parse(e.GetString("TaskId")).Value,
        UnitId.Parse(e.GetString("UnitId")).Value,
        e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        SubmissionStatuses.Parse(e.GetString("Status")).Value,
        e.GetString("Note") ?? string.Empty,
        e.GetBoolean("Late") ?? false,
        JsonSerializer.Deserialize(e.GetString("Attachments") ?? "[]", AttachmentsContext.Default.IReadOnlyListString) ?? []);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class AttachmentsContext : System.Text.Json.Serialization.JsonSerializerContext;
