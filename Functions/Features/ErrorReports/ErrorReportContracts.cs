using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Functions.Shared.Http;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary><c>POST /api/error-reports</c>: a member's report of wrong data, from the public form or as JSON.</summary>
public sealed record FileErrorReportRequest(string? MemberName, string? UnitName, string? Field, string? CurrentValue, string? CorrectValue, string? Contact)
    : IRequestBody<FileErrorReportRequest>
{
    public static bool ReadsForm => true;

    public static FileErrorReportRequest FromForm(IFormCollection form) =>
        new(form["memberName"], form["unitName"], form["field"], form["currentValue"], form["correctValue"], form["contact"]);

    public Domain.Common.Result<ErrorReportInput> Validate() => ErrorReportInput.Create(MemberName, UnitName, Field, CurrentValue, CorrectValue, Contact);
}

/// <summary><c>POST /api/error-reports/{code}/status</c> and the office queue's form: the next status and a note (required when rejecting); the queue's form also says which tab it came from.</summary>
public sealed record MoveErrorReportRequest(string? Status, string? Note, string? View = null) : IRequestBody<MoveErrorReportRequest>
{
    public static bool ReadsForm => true;

    public static MoveErrorReportRequest FromForm(IFormCollection form) => new(form["status"], form["note"], form["view"]);
}

/// <summary>A report just filed: its tracking code and status; <see cref="Folded"/> when it was an exact duplicate of one filed the same day.</summary>
public sealed record ErrorReportFiled(string Code, ErrorReportStatus Status, bool Folded);

/// <summary>What the reporter sees by the tracking code: the report's progress, not the member's personal data.</summary>
public sealed record ErrorReportProgress(string Code, string Field, ErrorReportStatus Status, string StatusName, DateTimeOffset FiledAt, DateTimeOffset UpdatedAt, string Note)
{
    public static ErrorReportProgress Of(ErrorReport r) =>
        new(r.Code.Value, r.Input.Field, r.Status, ErrorReportStatuses.Name(r.Status), r.FiledAt, r.UpdatedAt, r.ResolutionNote);
}

/// <summary>A report as the office handles it, with the member's details.</summary>
public sealed record OfficeErrorReport(
    string Code,
    string MemberName,
    string UnitName,
    string Field,
    string CurrentValue,
    string CorrectValue,
    string Contact,
    ErrorReportStatus Status,
    string Note,
    DateTimeOffset FiledAt,
    DateTimeOffset UpdatedAt)
{
    public static OfficeErrorReport Of(ErrorReport r) => new(
        r.Code.Value, r.Input.MemberName, r.Input.UnitName, r.Input.Field, r.Input.CurrentValue, r.Input.CorrectValue, r.Input.Contact,
        r.Status, r.ResolutionNote, r.FiledAt, r.UpdatedAt);
}
