using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Functions.Shared.Http;

namespace ServerlessWorkflow.Functions.Features.Statistics;

/// <summary><c>POST /u/{token}/tasks/{taskId}/statistics</c>: the statistics spreadsheet, as the file of a multipart form.</summary>
public sealed record UploadStatisticsRequest(IFormFile? File) : IRequestBody<UploadStatisticsRequest>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static UploadStatisticsRequest FromForm(IFormCollection form) => new(form.Files.FirstOrDefault(f => f.Length > 0));
}

/// <summary>An upload taken: its id, its state (processing until ImportStatistics has read it), and the unit's page where its outcome shows.</summary>
public sealed record UploadReceived(string UploadId, UploadState State, string TaskId, string Status);

/// <summary>A directive's statistics: the totals of the units' figures in force, and each unit's state.</summary>
public sealed record StatisticsResponse(string DirectiveId, string TaskId, TotalsResponse Totals, IReadOnlyList<UnitStatistics> Units)
{
    public static StatisticsResponse Of(ConsolidatedReport report) => new(
        report.Directive.Id.Value,
        report.Task.Id.Value,
        new TotalsResponse(report.Totals.Reported, report.Totals.ToRows()),
        report.Units.Select(u => new UnitStatistics(
            u.UnitId.Value,
            u.State,
            u.Values is { } values ? new StatisticsReport(values, null).ToRows() : null,
            (u.Latest?.State == UploadState.Rejected ? u.Latest.Errors : []).Select(e => new CellProblem(e.Cell, e.Message)).ToList(),
            u.Latest is { } last ? new LatestUpload(last.Id.Value, last.State, last.ReceivedAt) : null)).ToList());
}

/// <summary>How many units' figures are in force, and their sums: 7 rows × 4 columns of the template.</summary>
public sealed record TotalsResponse(int Reported, int[][] Values);

/// <summary>A unit's statistics: accepted (with its figures), rejected (with the cell errors of its latest file) or missing.</summary>
public sealed record UnitStatistics(string UnitId, UnitReportState State, int[][]? Values, IReadOnlyList<CellProblem> Errors, LatestUpload? LatestUpload);

/// <summary>A cell's problem, by its reference in the uploaded file (<c>D7</c>).</summary>
public sealed record CellProblem(string Cell, string Message);

public sealed record LatestUpload(string Id, UploadState State, DateTimeOffset ReceivedAt);
