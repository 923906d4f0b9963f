using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Functions.Shared.Http;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary>
/// <c>POST /api/error-reports</c>: a member's report of wrong data, from the public form or as JSON.
/// <see cref="Consent"/> is the reporter's agreement to the notice (the form's box; <c>true</c> in
/// JSON): without it nothing is stored.
/// </summary>
public sealed record FileErrorReportRequest(string? MemberName, string? UnitName, string? Field, string? CurrentValue, string? CorrectValue, string? Contact, string? Consent = null)
    : IRequestBody<FileErrorReportRequest>
{
    public static bool ReadsForm => true;

    public static FileErrorReportRequest FromForm(IFormCollection form) =>
        new(form["memberName"], form["unitName"], form["field"], form["currentValue"], form["correctValue"], form["contact"], form["consent"]);

    public Domain.Common.Result<ErrorReportInput> Validate() => ErrorReportInput.Create(MemberName, UnitName, Field, CurrentValue, CorrectValue, Contact, Consent);
}

/// <summary>The office's request about one member's data (export or erase): the member's name as reported and, to tell namesakes apart, a contact.</summary>
public sealed record MemberDataRequest(string? MemberName, string? Contact, string? Confirm = null, string? Action = null) : IRequestBody<MemberDataRequest>
{
    public static bool ReadsForm => true;

    public static MemberDataRequest FromForm(IFormCollection form) => new(form["memberName"], form["contact"], form["confirm"], form["action"]);
}

/// <summary>One member's data as exported on request: when, and every report about them with all it holds.</summary>
public sealed record MemberDataExport(DateTimeOffset ExportedAt, string MemberName, List<OfficeErrorReport> Reports);

/// <summary>What an erasure did: the reports whose member details were erased.</summary>
public sealed record MemberDataErased(List<string> Codes);

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

/// <summary>A report as the Party Building Board handles it (and as a member's export gives it): everything stored, the member's details and consent included.</summary>
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
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ConsentAt,
    string? ConsentNotice,
    DateTimeOffset? AnonymisedAt)
{
    public static OfficeErrorReport Of(ErrorReport r) => new(
        r.Code.Value, r.Input.MemberName, r.Input.UnitName, r.Input.Field, r.Input.CurrentValue, r.Input.CorrectValue, r.Input.Contact,
        r.Status, r.ResolutionNote, r.FiledAt, r.UpdatedAt, r.ConsentAt, r.ConsentNotice, r.AnonymisedAt);
}
