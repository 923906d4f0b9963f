using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Functions.Shared.Wire;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary>
/// Data-error reports in table <c>errorreports</c>:
/// <list type="bullet">
/// <item>PartitionKey <c>report</c>, RowKey the tracking code: the report. The office's list (by
/// status) is one partition query; status changes are conditional on the ETag read.</item>
/// <item>PartitionKey <c>fold</c>, RowKey the fold key (a hash of the normalised fields and the
/// Vietnam day): which code stands for those exact fields that day. It is inserted first, and only
/// if absent, so two identical reports — even posted at the same moment — make one report. It is a
/// hash of a member's details, so it is deleted when the report is anonymised.</item>
/// </list>
/// </summary>
public sealed class TableErrorReportStore(TableServiceClient tables, StorageNames names) : IErrorReportStore
{
    public const string TableName = "errorreports";
    private const string ReportPartition = "report";
    private const string FoldPartition = "fold";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<(ErrorReport Report, bool IsNew)> AddOrFoldAsync(ErrorReport report, string foldKey, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(new TableEntity(FoldPartition, foldKey) { ["Code"] = report.Code.Value }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var fold = await Table.GetEntityAsync<TableEntity>(FoldPartition, foldKey, cancellationToken: cancellationToken);
            var code = fold.Value.Required("Code", TrackingCode.Parse);
            // The first filer may not have written its report yet: wait for it briefly.
            for (var attempt = 0; attempt < 20; attempt++)
            {
                if (await GetAsync(code, cancellationToken) is { } existing)
                {
                    return (existing.Value, false);
                }

                await Task.Delay(50, cancellationToken);
            }

            return (report with { Code = code }, false);
        }

        await Table.AddEntityAsync(ToEntity(report), cancellationToken);
        return (report, true);
    }

    public async Task<Versioned<ErrorReport>?> GetAsync(TrackingCode code, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(ReportPartition, code.Value, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? new Versioned<ErrorReport>(ToReport(e), e.Version()) : null;
    }

    public async Task<IReadOnlyList<ErrorReport>> ListAsync(ErrorReportStatus? status, CancellationToken cancellationToken)
    {
        var filter = status is { } s
            ? TableClient.CreateQueryFilter($"PartitionKey eq {ReportPartition} and Status eq {WireFormat.Name(s)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {ReportPartition}");
        var reports = new List<ErrorReport>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            reports.Add(ToReport(e));
        }

        return reports.OrderByDescending(r => r.FiledAt).ToList();
    }

    public async Task ForgetFoldAsync(string foldKey, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(FoldPartition, foldKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already forgotten.
        }
    }

    public async Task<Result<ErrorReport>> ReplaceAsync(ErrorReport report, StoredVersion? expectedVersion, CancellationToken cancellationToken)
    {
        var written = await Table.WriteConditionallyAsync(ToEntity(report), expectedVersion, cancellationToken);
        return written.IsSuccess ? report : written.Error!;
    }

    private static TableEntity ToEntity(ErrorReport r) => new(ReportPartition, r.Code.Value)
    {
        ["MemberName"] = r.Input.MemberName,
        ["UnitName"] = r.Input.UnitName,
        ["Field"] = r.Input.Field,
        ["CurrentValue"] = r.Input.CurrentValue,
        ["CorrectValue"] = r.Input.CorrectValue,
        ["Contact"] = r.Input.Contact,
        ["FiledAt"] = r.FiledAt,
        ["Status"] = WireFormat.Name(r.Status),
        ["ResolutionNote"] = r.ResolutionNote,
        ["UpdatedAt"] = r.UpdatedAt,
        ["ConsentAt"] = r.ConsentAt,
        ["ConsentNotice"] = r.ConsentNotice,
        ["AnonymisedAt"] = r.AnonymisedAt,
        ["FoldKey"] = r.FoldKey,
    };

    private static ErrorReport ToReport(TableEntity e) => new(
        e.Parsed("RowKey", e.RowKey, TrackingCode.Parse),
        new ErrorReportInput(
            e.RequiredString("MemberName"),
            e.RequiredString("UnitName"),
            e.RequiredString("Field"),
            e.OptionalString("CurrentValue") ?? string.Empty,
            e.RequiredString("CorrectValue"),
            e.RequiredString("Contact")),
        e.RequiredInstant("FiledAt"),
        e.Required("Status", s => ErrorReportStatuses.Parse(s)),
        e.OptionalString("ResolutionNote") ?? string.Empty,
        e.RequiredInstant("UpdatedAt"))
    {
        // Reports filed before consent was asked for have none of these.
        ConsentAt = e.OptionalInstant("ConsentAt"),
        ConsentNotice = e.OptionalString("ConsentNotice"),
        AnonymisedAt = e.OptionalInstant("AnonymisedAt"),
        FoldKey = e.OptionalString("FoldKey"),
    };
}
