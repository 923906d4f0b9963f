using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Statistics;

/// <summary>
/// The office's report templates: the file in blob <c>templates/{templateId}.xlsx</c> and what was read
/// from it in table <c>templates</c> (PartitionKey = template id, RowKey <c>template</c>). The id is
/// the file's hash, so the same file saved again writes the same blob and row; the row is written after
/// the blob, so a template exists only once its file does. Templates never change.
/// </summary>
public sealed class TableTemplateStore(TableServiceClient tables, BlobServiceClient blobs, StorageNames names) : ITemplateStore
{
    public const string TableName = "templates";
    public const string Container = "templates";
    private const string Row = "template";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    private BlobContainerClient Files => blobs.GetBlobContainerClient(names.Container(Container));

    public async Task SaveAsync(ReportTemplate template, ReadOnlyMemory<byte> file, CancellationToken cancellationToken)
    {
        await Files.GetBlobClient($"{template.Id}.xlsx").UploadAsync(
            BinaryData.FromBytes(file),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = StatisticsFeature.SpreadsheetContentType } },
            cancellationToken);
        await Table.UpsertEntityAsync(
            new TableEntity(template.Id.Value, Row) { ["Template"] = JsonSerializer.Serialize(StoredTemplate.Of(template), StoredTemplateJson.Default.StoredTemplate) },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task<ReportTemplate?> GetAsync(TemplateId id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(id.Value, Row, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? e.RequiredJson("Template", StoredTemplateJson.Default.StoredTemplate).ToTemplate(id) : null;
    }

    public async Task<byte[]?> FileAsync(TemplateId id, CancellationToken cancellationToken)
    {
        try
        {
            return (await Files.GetBlobClient($"{id}.xlsx").DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}

/// <summary>A template as stored: its layout, cells not applicable as [row, column] pairs.</summary>
internal sealed record StoredTemplate(
    string Title,
    string SheetName,
    int HeaderRow,
    int HeaderRowCount,
    int SttColumn,
    int LabelColumn,
    string LabelHeader,
    List<StoredRow> Rows,
    List<StoredColumn> Columns,
    List<int[]> NotApplicable)
{
    public static StoredTemplate Of(ReportTemplate t) => new(
        t.Title,
        t.SheetName,
        t.HeaderRow,
        t.HeaderRowCount,
        t.SttColumn,
        t.LabelColumn,
        t.LabelHeader,
        t.Rows.Select(r => new StoredRow(r.Stt, r.Label, r.SheetRow, r.IsTotal)).ToList(),
        t.Columns.Select(c => new StoredColumn(c.Group, c.Label, c.SheetColumn, c.IsTotal)).ToList(),
        t.NotApplicable.Select(c => new[] { c.Row, c.Column }).ToList());

    public ReportTemplate ToTemplate(TemplateId id) => new(
        id,
        Title,
        SheetName,
        HeaderRow,
        HeaderRowCount,
        SttColumn,
        LabelColumn,
        LabelHeader,
        Rows.Select(r => new TemplateRow(r.Stt, r.Label, r.SheetRow, r.IsTotal)).ToList(),
        Columns.Select(c => new TemplateColumn(c.Group, c.Label, c.SheetColumn, c.IsTotal)).ToList(),
        NotApplicable.Select(c => c is [var row, var column] ? new GridCell(row, column) : throw new InvalidOperationException("A stored cell is not [row, column].")).ToList());
}

internal sealed record StoredRow(string Stt, string Label, int SheetRow, bool IsTotal);

internal sealed record StoredColumn(string? Group, string Label, int SheetColumn, bool IsTotal);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(StoredTemplate))]
internal sealed partial class StoredTemplateJson : System.Text.Json.Serialization.JsonSerializerContext;
