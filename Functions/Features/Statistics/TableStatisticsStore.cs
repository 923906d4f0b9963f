using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Statistics;

/// <summary>
/// Statistics in two tables.
/// <para><c>uploads</c>: PartitionKey = directive id, RowKey = upload id (time-sortable): every
/// upload with its state, figures or cell errors — the unit's page and the office's view read one partition.</para>
/// <para><c>statistics</c>: PartitionKey <c>{directiveId}|{taskId}</c>; RowKey <c>totals</c> (units
/// reported and the 7 × 4 sums) and <c>unit|{unitId}</c> (the figures in force and their upload id).
/// Sharing a partition lets a unit's figures and the totals change in one transaction, each
/// conditional on its ETag: O(1) table work per upload, no lost update between parallel uploads,
/// and totals that always equal the sum of the figures in force.</para>
/// </summary>
public sealed class TableStatisticsStore(TableServiceClient tables, StorageNames names) : IStatisticsStore
{
    public const string UploadsTable = "uploads";
    public const string StatisticsTable = "statistics";
    private const string TotalsRow = "totals";
    private const string UnitPrefix = "unit|";

    private TableClient Uploads => tables.GetTableClient(names.Table(UploadsTable));

    private TableClient Statistics => tables.GetTableClient(names.Table(StatisticsTable));

    public Task AddUploadAsync(Upload upload, CancellationToken cancellationToken) =>
        Uploads.AddEntityAsync(ToEntity(upload), cancellationToken);

    public async Task<Upload?> GetUploadAsync(DirectiveId directive, UploadId upload, CancellationToken cancellationToken)
    {
        var row = await Uploads.GetEntityIfExistsAsync<TableEntity>(directive.Value, upload.Value, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? ToUpload(e) : null;
    }

    public Task SaveOutcomeAsync(Upload upload, CancellationToken cancellationToken) =>
        Uploads.UpsertEntityAsync(ToEntity(upload), TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<Upload>> UploadsAsync(DirectiveId directive, TaskId task, CancellationToken cancellationToken)
    {
        var uploads = new List<Upload>();
        await foreach (var e in Uploads.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {directive.Value} and TaskId eq {task.Value}"), cancellationToken: cancellationToken))
        {
            uploads.Add(ToUpload(e));
        }

        return uploads;
    }

    public async Task<(Versioned<UnitFigures?> Figures, Versioned<Totals> Totals)> ReadAsync(DirectiveId directive, TaskId task, UnitId unit, CancellationToken cancellationToken)
    {
        var partition = Partition(directive, task);
        var figures = await Statistics.GetEntityIfExistsAsync<TableEntity>(partition, UnitPrefix + unit.Value, cancellationToken: cancellationToken);
        var totals = await Statistics.GetEntityIfExistsAsync<TableEntity>(partition, TotalsRow, cancellationToken: cancellationToken);
        return (
            figures.HasValue && figures.Value is { } f ? new Versioned<UnitFigures?>(ToFigures(f), f.Version()) : new Versioned<UnitFigures?>(null, null),
            totals.HasValue && totals.Value is { } t ? new Versioned<Totals>(ToTotals(t), t.Version()) : new Versioned<Totals>(Totals.Empty, null));
    }

    public async Task<Result<bool>> ApplyAsync(DirectiveId directive, TaskId task, UnitFigures figures, StoredVersion? figuresVersion, Totals totals, StoredVersion? totalsVersion, CancellationToken cancellationToken)
    {
        var partition = Partition(directive, task);
        var unitRow = new TableEntity(partition, UnitPrefix + figures.UnitId.Value) { ["UploadId"] = figures.UploadId.Value, ["Values"] = Serialize(figures.Values) };
        var totalsRow = new TableEntity(partition, TotalsRow) { ["Reported"] = totals.Reported, ["Values"] = Serialize(totals.Values) };
        try
        {
            await Statistics.SubmitTransactionAsync([TableExtensions.Conditional(unitRow, figuresVersion), TableExtensions.Conditional(totalsRow, totalsVersion)], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return Error.Conflict("concurrent-upload", "Another upload changed the totals first.");
        }
    }

    public async Task<(IReadOnlyList<UnitFigures> Figures, Totals Totals)> ConsolidatedAsync(DirectiveId directive, TaskId task, CancellationToken cancellationToken)
    {
        var figures = new List<UnitFigures>();
        var totals = Totals.Empty;
        await foreach (var e in Statistics.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(directive, task)}"), cancellationToken: cancellationToken))
        {
            if (e.RowKey == TotalsRow)
            {
                totals = ToTotals(e);
            }
            else
            {
                figures.Add(ToFigures(e));
            }
        }

        return (figures, totals);
    }

    private static string Partition(DirectiveId directive, TaskId task) => $"{directive}|{task}";

    private static string Serialize(int[,] values) => string.Join(',', values.Cast<int>().Select(v => v.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The 7 × 4 figures as stored: comma-separated, row by row; anything else is a corrupt row.</summary>
    private static int[,] Values(TableEntity e, string field)
    {
        var values = new int[StatisticsTemplate.RowCount, StatisticsTemplate.ColumnCount];
        var parts = e.RequiredString(field).Split(',');
        if (parts.Length != values.Length)
        {
            throw CorruptRowException.For(e, field, $"holds {parts.Length} figures, not {values.Length}");
        }

        for (var i = 0; i < parts.Length; i++)
        {
            values[i / StatisticsTemplate.ColumnCount, i % StatisticsTemplate.ColumnCount] =
                int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw CorruptRowException.For(e, field, $"holds '{parts[i]}', not a count");
        }

        return values;
    }

    private static Totals ToTotals(TableEntity e) => new(e.RequiredInt("Reported"), Values(e, "Values"));

    private static UnitFigures ToFigures(TableEntity e) =>
        new(e.Parsed("RowKey", e.RowKey[UnitPrefix.Length..], u => UnitId.Parse(u)), e.Required("UploadId", ParseUploadId), Values(e, "Values"));

    private static Result<UploadId> ParseUploadId(string text) =>
        UploadId.Parse(text) is { } id ? id : Error.Validation("UploadId", "invalid-upload-id", "Not an upload id.");

    private static TableEntity ToEntity(Upload u) => new(u.DirectiveId.Value, u.Id.Value)
    {
        ["TaskId"] = u.TaskId.Value,
        ["UnitId"] = u.UnitId.Value,
        ["State"] = u.State.ToString(),
        ["Values"] = u.Values is null ? null : Serialize(u.Values),
        ["Errors"] = JsonSerializer.Serialize(u.Errors.Take(200).Select(e => new[] { e.Cell, e.Message }).ToList(), StatisticsJson.Default.ListStringArray),
        ["ReceivedAt"] = u.ReceivedAt,
        ["ProcessedAt"] = u.ProcessedAt,
    };

    private static Upload ToUpload(TableEntity e) => new(
        e.Parsed("RowKey", e.RowKey, ParseUploadId),
        e.Parsed("PartitionKey", e.PartitionKey, DirectiveId.Parse),
        e.Required("TaskId", TaskId.Parse),
        e.Required("UnitId", u => UnitId.Parse(u)),
        e.RequiredEnum<UploadState>("State"),
        e.OptionalString("Values") is null ? null : Values(e, "Values"),
        Errors(e),
        e.RequiredInstant("ReceivedAt"),
        e.OptionalInstant("ProcessedAt"));

    private static List<CellError> Errors(TableEntity e) =>
        e.RequiredJson("Errors", StatisticsJson.Default.ListStringArray)
            .Select(p => p is [var cell, var message] ? new CellError(cell, message) : throw CorruptRowException.For(e, "Errors", "holds an entry that is not [cell, message]"))
            .ToList();
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<string[]>))]
internal sealed partial class StatisticsJson : System.Text.Json.Serialization.JsonSerializerContext;
