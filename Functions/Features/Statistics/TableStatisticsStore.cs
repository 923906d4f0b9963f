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
/// upload with its state, figures or cell errors, who sent it, where its table was found — the unit's
/// page and the office's view read one partition.</para>
/// <para><c>statistics</c>: PartitionKey <c>{directiveId}|{taskId}</c>; RowKeys <c>unit|{unitId}</c>
/// (the figures in force and their upload id) and <c>totals|{shard}</c> (units counted and the sums of
/// the units of that shard, <see cref="Consolidation.Shards"/> of them), and the same under
/// <c>deadline-unit|</c> and <c>deadline-totals|</c> for the figures in force at the deadline. Sharing
/// a partition lets a unit's figures and its shard's totals change in one transaction, each
/// conditional on its ETag: O(1) table work per upload, no lost update between parallel uploads,
/// rarely two uploads on one row, and totals that always equal the sum of the figures in force.
/// Figures are stored row by row, comma-separated, with their column count (<c>Columns</c>; 4 when
/// absent, from before templates were per task). A <c>totals</c> row of that time is still added in.</para>
/// </summary>
public sealed class TableStatisticsStore(TableServiceClient tables, StorageNames names) : IStatisticsStore
{
    public const string UploadsTable = "uploads";
    public const string StatisticsTable = "statistics";
    private const string LegacyTotalsRow = "totals";

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

    public async Task<TrackRead> ReadAsync(DirectiveId directive, TaskId task, FiguresTrack track, UnitId unit, int shard, CancellationToken cancellationToken)
    {
        var partition = Partition(directive, task);
        var figuresRead = Statistics.GetEntityIfExistsAsync<TableEntity>(partition, UnitRow(track, unit), cancellationToken: cancellationToken);
        var shardRead = Statistics.GetEntityIfExistsAsync<TableEntity>(partition, ShardRow(track, shard), cancellationToken: cancellationToken);
        var (figures, totals) = (await figuresRead, await shardRead);
        return new TrackRead(
            figures.HasValue && figures.Value is { } f ? new Versioned<UnitFigures?>(ToFigures(f), f.Version()) : new Versioned<UnitFigures?>(null, null),
            totals.HasValue && totals.Value is { } t ? new Versioned<Totals>(ToTotals(t), t.Version()) : new Versioned<Totals>(Totals.Empty, null));
    }

    public async Task<Result<bool>> ApplyAsync(DirectiveId directive, TaskId task, int shard, IReadOnlyList<TrackWrite> writes, CancellationToken cancellationToken)
    {
        var partition = Partition(directive, task);
        var actions = new List<TableTransactionAction>();
        foreach (var write in writes)
        {
            var figures = write.Figures;
            actions.Add(TableExtensions.Conditional(
                new TableEntity(partition, UnitRow(write.Track, figures.UnitId))
                {
                    ["UploadId"] = figures.UploadId.Value,
                    ["Values"] = Serialize(figures.Values),
                    ["Columns"] = figures.Values.GetLength(1),
                    ["Counted"] = figures.Counted,
                },
                write.FiguresVersion));
            if (write.Shard is { } totals)
            {
                actions.Add(TableExtensions.Conditional(
                    new TableEntity(partition, ShardRow(write.Track, shard)) { ["Reported"] = totals.Reported, ["Values"] = Serialize(totals.Values), ["Columns"] = totals.Values.GetLength(1) },
                    write.ShardVersion));
            }
        }

        try
        {
            await Statistics.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return Error.Conflict("concurrent-upload", "Another upload changed the totals first.");
        }
    }

    public async Task<Consolidated> ConsolidatedAsync(DirectiveId directive, TaskId task, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<FiguresTrack, List<UnitFigures>> { [FiguresTrack.Current] = [], [FiguresTrack.AtDeadline] = [] };
        var totals = new Dictionary<FiguresTrack, Totals> { [FiguresTrack.Current] = Totals.Empty, [FiguresTrack.AtDeadline] = Totals.Empty };
        await foreach (var e in Statistics.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(directive, task)}"), cancellationToken: cancellationToken))
        {
            var key = e.RowKey;
            var track = key.StartsWith(DeadlinePrefix, StringComparison.Ordinal) ? FiguresTrack.AtDeadline : FiguresTrack.Current;
            var rest = track == FiguresTrack.AtDeadline ? key[DeadlinePrefix.Length..] : key;
            if (rest == LegacyTotalsRow || rest.StartsWith(TotalsPrefix, StringComparison.Ordinal))
            {
                totals[track] = totals[track].Plus(ToTotals(e));
            }
            else if (rest.StartsWith(UnitPrefix, StringComparison.Ordinal))
            {
                figures[track].Add(ToFigures(e));
            }
        }

        return new Consolidated(
            new TrackTotals(figures[FiguresTrack.Current], totals[FiguresTrack.Current]),
            new TrackTotals(figures[FiguresTrack.AtDeadline], totals[FiguresTrack.AtDeadline]));
    }

    private const string UnitPrefix = "unit|";
    private const string TotalsPrefix = "totals|";
    private const string DeadlinePrefix = "deadline-";

    private static string Track(FiguresTrack track) => track == FiguresTrack.AtDeadline ? DeadlinePrefix : string.Empty;

    private static string UnitRow(FiguresTrack track, UnitId unit) => Track(track) + UnitPrefix + unit.Value;

    private static string ShardRow(FiguresTrack track, int shard) => Track(track) + TotalsPrefix + shard.ToString("00", CultureInfo.InvariantCulture);

    private static string Partition(DirectiveId directive, TaskId task) => $"{directive}|{task}";

    private static string Serialize<T>(T[,] values)
        where T : IFormattable => string.Join(',', values.Cast<T>().Select(v => v.ToString(null, CultureInfo.InvariantCulture)));

    /// <summary>The figures as stored: comma-separated, row by row, <c>Columns</c> to a row; anything else is a corrupt row.</summary>
    private static T[,] Values<T>(TableEntity e, string field)
        where T : struct, IParsable<T>
    {
        var columns = e.ContainsKey("Columns") ? e.RequiredInt("Columns") : StatisticsTemplate.ColumnCount;
        var parts = e.RequiredString(field).Split(',');
        if (columns <= 0 || parts.Length % columns != 0)
        {
            throw CorruptRowException.For(e, field, $"holds {parts.Length} figures, not rows of {columns}");
        }

        var values = new T[parts.Length / columns, columns];
        for (var i = 0; i < parts.Length; i++)
        {
            values[i / columns, i % columns] = T.TryParse(parts[i], CultureInfo.InvariantCulture, out var v) && !parts[i].StartsWith('-') ? v : throw CorruptRowException.For(e, field, $"holds '{parts[i]}', not a count");
        }

        return values;
    }

    private static Totals ToTotals(TableEntity e) => new(e.RequiredInt("Reported"), Values<long>(e, "Values"));

    private static UnitFigures ToFigures(TableEntity e) =>
        new(e.Parsed("RowKey", e.RowKey[(e.RowKey.IndexOf('|', StringComparison.Ordinal) + 1)..], u => UnitId.Parse(u)), e.Required("UploadId", ParseUploadId), Values<int>(e, "Values"))
        {
            Counted = !e.ContainsKey("Counted") || e.RequiredBool("Counted"),
        };

    private static Result<UploadId> ParseUploadId(string text) =>
        UploadId.Parse(text) is { } id ? id : Error.Validation("UploadId", "invalid-upload-id", "Not an upload id.");

    private static TableEntity ToEntity(Upload u) => new(u.DirectiveId.Value, u.Id.Value)
    {
        ["TaskId"] = u.TaskId.Value,
        ["UnitId"] = u.UnitId.Value,
        ["State"] = u.State.ToString(),
        ["Values"] = u.Values is null ? null : Serialize(u.Values),
        ["Columns"] = u.Values?.GetLength(1),
        ["Errors"] = JsonSerializer.Serialize(u.Errors.Take(200).Select(e => new[] { e.Cell, e.Message }).ToList(), StatisticsJson.Default.ListStringArray),
        ["ReceivedAt"] = u.ReceivedAt,
        ["ProcessedAt"] = u.ProcessedAt,
        ["SentBy"] = u.SentBy.ToString(),
        ["Sheet"] = u.Sheet,
        ["Anchor"] = u.Anchor,
        ["WrittenUnit"] = u.WrittenUnit,
    };

    private static Upload ToUpload(TableEntity e) => new(
        e.Parsed("RowKey", e.RowKey, ParseUploadId),
        e.Parsed("PartitionKey", e.PartitionKey, DirectiveId.Parse),
        e.Required("TaskId", TaskId.Parse),
        e.Required("UnitId", u => UnitId.Parse(u)),
        e.RequiredEnum<UploadState>("State"),
        e.OptionalString("Values") is null ? null : Values<int>(e, "Values"),
        Errors(e),
        e.RequiredInstant("ReceivedAt"),
        e.OptionalInstant("ProcessedAt"))
    {
        SentBy = e.OptionalString("SentBy") is null ? UploadSender.Unit : e.RequiredEnum<UploadSender>("SentBy"),
        Sheet = e.OptionalString("Sheet"),
        Anchor = e.OptionalString("Anchor"),
        WrittenUnit = e.OptionalString("WrittenUnit"),
    };

    private static List<CellError> Errors(TableEntity e) =>
        e.RequiredJson("Errors", StatisticsJson.Default.ListStringArray)
            .Select(p => p is [var cell, var message] ? new CellError(cell, message) : throw CorruptRowException.For(e, "Errors", "holds an entry that is not [cell, message]"))
            .ToList();
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<string[]>))]
internal sealed partial class StatisticsJson : System.Text.Json.Serialization.JsonSerializerContext;
