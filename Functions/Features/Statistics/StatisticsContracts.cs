using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Functions.Shared.Http;

namespace ServerlessWorkflow.Functions.Features.Statistics;

/// <summary>
/// <c>POST /u/{token}/tasks/{taskId}/statistics</c> (and the office's upload for a unit, and
/// <c>POST /api/templates</c>): the spreadsheet, as the file of a multipart form.
/// </summary>
public sealed record UploadStatisticsRequest(IFormFile? File) : IRequestBody<UploadStatisticsRequest>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static UploadStatisticsRequest FromForm(IFormCollection form) => new(form.Files.FirstOrDefault(f => f.Length > 0));
}

/// <summary>An upload taken: its id, its state (processing until ImportStatistics has read it), and the unit's page where its outcome shows.</summary>
public sealed record UploadReceived(string UploadId, UploadState State, string TaskId, string Status);

/// <summary>
/// A directive's statistics: its template, the totals of the units' figures in force now and at the
/// deadline ("số liệu tại hạn": from files received before it), and each unit's state.
/// </summary>
public sealed record StatisticsResponse(
    string DirectiveId,
    string TaskId,
    TotalsResponse Totals,
    IReadOnlyList<UnitStatistics> Units,
    TemplateResponse Template,
    TotalsResponse TotalsAtDeadline,
    bool DeadlinePassed)
{
    public static StatisticsResponse Of(ConsolidatedReport report) => new(
        report.Directive.Id.Value,
        report.Task.Id.Value,
        new TotalsResponse(report.Totals.Reported, report.Totals.ToRows()),
        report.Units.Select(u => new UnitStatistics(
            u.UnitId.Value,
            u.State,
            u.Values is { } values ? Grid.Rows(values) : null,
            (u.Latest?.State == UploadState.Rejected ? u.Latest.Errors : []).Select(e => new CellProblem(e.Cell, e.Message)).ToList(),
            u.Latest is { } last ? new LatestUpload(last.Id.Value, last.State, last.ReceivedAt, last.SentBy, last.WrittenUnit) : null,
            u.Late,
            u.CoveredBy?.Value,
            u.ValuesAtDeadline is { } atDeadline ? Grid.Rows(atDeadline) : null)).ToList(),
        TemplateResponse.Of(report.Template, report.Spec.Rules, report.Spec.Coverage),
        new TotalsResponse(report.TotalsAtDeadline.Reported, report.TotalsAtDeadline.ToRows()),
        report.DeadlinePassed);
}

/// <summary>How many units' figures are counted, and their sums: the template's rows × columns (643: 7 × 4).</summary>
public sealed record TotalsResponse(int Reported, long[][] Values);

/// <summary>
/// A unit's statistics: accepted (with its figures), rejected (with the cell errors of its latest
/// file) or missing; whether its figures came after the deadline; the assigned unit whose figures
/// already include its own (then they are shown, not added again); its figures at the deadline.
/// </summary>
public sealed record UnitStatistics(
    string UnitId,
    UnitReportState State,
    int[][]? Values,
    IReadOnlyList<CellProblem> Errors,
    LatestUpload? LatestUpload,
    bool Late,
    string? CoveredBy,
    int[][]? ValuesAtDeadline);

/// <summary>A cell's problem, by its reference in the uploaded file (<c>D7</c>).</summary>
public sealed record CellProblem(string Cell, string Message);

/// <summary>A unit's latest upload: when, what became of it, who sent it (the unit, or the office for it), and the unit the file names ("Đơn vị: …").</summary>
public sealed record LatestUpload(string Id, UploadState State, DateTimeOffset ReceivedAt, UploadSender SentBy, string? WrittenUnit);

/// <summary>
/// A report template as read: its id (to name in a statistics task), title and sheet, the header's
/// row(s), each row and column with where it sits, the cells a unit fills, the cells marked as not
/// applicable, and the rules offered for it.
/// </summary>
public sealed record TemplateResponse(
    string Id,
    string Title,
    string Sheet,
    int HeaderRow,
    int HeaderRows,
    IReadOnlyList<TemplateRowResponse> Rows,
    IReadOnlyList<TemplateColumnResponse> Columns,
    int FigureCells,
    IReadOnlyList<string> NotApplicable,
    RulesResponse Rules,
    Coverage Coverage)
{
    public static TemplateResponse Of(ReportTemplate t, TemplateRules rules, Coverage coverage) => new(
        t.Id.Value,
        t.Title,
        t.SheetName,
        t.HeaderRow,
        t.HeaderRowCount,
        t.Rows.Select((r, i) => new TemplateRowResponse(i + 1, r.Stt, r.Label, SpreadsheetReader.CellName(r.SheetRow, t.LabelColumn), r.IsTotal)).ToList(),
        t.Columns.Select((c, i) => new TemplateColumnResponse(i + 1, c.Name, SpreadsheetReader.ColumnName(c.SheetColumn), c.IsTotal)).ToList(),
        t.FigureCells(rules),
        t.NotApplicable.Select(c => SpreadsheetReader.CellName(t.Rows[c.Row].SheetRow, t.Columns[c.Column].SheetColumn)).ToList(),
        RulesResponse.Of(rules),
        coverage);
}

/// <summary>A row of a template: its number in the template (1-based, as rules name it), its STT, label and label cell, and whether it is the total row.</summary>
public sealed record TemplateRowResponse(int Index, string Stt, string Label, string Cell, bool Total);

/// <summary>A figure column: its number (1-based), its name ("Năm 2025 – Nam"), its letter, and whether it is the total column.</summary>
public sealed record TemplateColumnResponse(int Index, string Name, string Column, bool Total);

/// <summary>A statistics task's rules: rows not above another row (numbers as in <see cref="TemplateRowResponse.Index"/>), totals as sums, blank cells.</summary>
public sealed record RulesResponse(IReadOnlyList<BoundResponse> Bounds, bool Totals, BlankCells Blanks)
{
    public static RulesResponse Of(TemplateRules rules) => new(rules.Bounds.Select(b => new BoundResponse(b.Row + 1, b.Limit + 1)).ToList(), rules.TotalsAreSums, rules.Blanks);
}

/// <summary>Row <see cref="Row"/> may not exceed row <see cref="Max"/> in any column.</summary>
public sealed record BoundResponse(int Row, int Max);
