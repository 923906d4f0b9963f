using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Shared.Wire;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Submissions;

/// <summary>
/// Submission versions in table <c>submissions</c>: PartitionKey = directive id, RowKey
/// <c>{unitId}|{taskId}|{versionId}</c>. A unit's page reads its rows with one range query
/// (<c>{unitId}|</c>), the office's view reads the partition. The version id is derived from the
/// Idempotency-Key or the content (see <see cref="SubmissionVersion.DeriveId"/>), and rows are only
/// ever added (AddEntity), so a repeated or concurrent duplicate post cannot make a second row.
/// Versions are never updated: every version is kept. A post reads nothing but, without a key, the
/// one row the same content would have had in the previous window (a point read).
/// </summary>
public sealed class TableSubmissionStore(TableServiceClient tables, StorageNames names) : ISubmissionStore
{
    public const string TableName = "submissions";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<IReadOnlyList<SubmissionVersion>> ListAsync(DirectiveId directive, UnitId? unit, CancellationToken cancellationToken)
    {
        var rows = unit is { } u
            ? Table.QueryPrefixAsync(directive.Value, u.Value + "|", cancellationToken)
            : Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {directive.Value}"), cancellationToken: cancellationToken);
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
        var rowKey = RowKey(version.UnitId, version.TaskId, version.VersionId);
        try
        {
            await Table.AddEntityAsync(
                new TableEntity(version.DirectiveId.Value, rowKey)
                {
                    ["VersionId"] = version.VersionId,
                    ["TaskId"] = version.TaskId.Value,
                    ["UnitId"] = version.UnitId.Value,
                    ["At"] = version.At,
                    ["Status"] = WireFormat.Name(version.Status),
                    ["Note"] = version.Note,
                    ["Late"] = version.Late,
                    ["Attachments"] = JsonSerializer.Serialize(version.Attachments, AttachmentsContext.Default.IReadOnlyListString),
                },
                cancellationToken);
            return (version, true);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await Table.GetEntityAsync<TableEntity>(version.DirectiveId.Value, rowKey, cancellationToken: cancellationToken);
            return (ToVersion(existing.Value), false);
        }
    }

    private static string RowKey(UnitId unit, TaskId task, string versionId) => $"{unit}|{task}|{versionId}";

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
