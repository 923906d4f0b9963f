using System.Security.Claims;
using ServerlessWorkflow.Domain.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.Statistics;

/// <summary>
/// <c>GET /office/directives/{id}/statistics</c> (OfficeStatistics): the task's template and rules,
/// the consolidated table now and at the deadline, one bar chart per row across the columns (inline
/// SVG: no script, nothing to load), which units reported (late, sent by the office, naming another
/// unit, or counted within the unit above them), which were rejected (with their first errors) and
/// which are missing, and the .xlsx downloads. <c>POST /office/directives/{id}/statistics</c>
/// (OfficeUploadStatistics): a file a unit emailed, uploaded by the office for the unit chosen in the form.
/// </summary>
public static class StatisticsPageEndpoint
{
    /// <summary>The id of the page's form for sending a file in a unit's name.</summary>
    public const string FormAnchor = "gui-thay";

    public static IEndpointRouteBuilder MapStatisticsPage(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/directives/{id}/statistics").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        office.MapGet("/", ShowAsync).WithName("OfficeStatistics").AsPage();
        office.MapPost("/", UploadAsync).WithName("OfficeUploadStatistics").RequireOfficeRole(OfficeRole.VanPhong).WithFormBody<OfficeUploadForm>(UploadRefusals.MaxBytes).AsPage();
        return app;
    }

    private static async Task<RazorComponentResult> ShowAsync(
        string id, string? taskId, [FromQuery(Name = "gui-thay")] string? sentFor, [FromQuery(Name = "loi-tep")] string? problem,
        IDirectiveStore directives, IDirectiveStateStore states, IStatisticsStore store, ReportTemplates templates, UnitRegistry units, TimeProvider time, CancellationToken cancellationToken)
    {
        var read = await ConsolidatedReport.ReadAsync(id, taskId, directives, store, templates, time.GetUtcNow(), cancellationToken);
        if (!read.IsSuccess)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy số liệu", read.Error!.Message), StatusCodes.Status404NotFound);
        }

        var tree = await units.TreeAsync(cancellationToken);
        var refusal = WireFormat.TryParse<UploadRefusal>(problem, out var r) ? r : (UploadRefusal?)null;
        var notice = UnitId.Parse(sentFor) is { IsSuccess: true } unit ? new OfficeUploadNotice(unit.Value, refusal)
            : refusal is not null ? new OfficeUploadNotice(null, refusal)
            : null;
        return PageResults.Render<StatisticsPage, StatisticsModel>(new StatisticsModel(read.Value, u => tree.Find(u)?.Name ?? u.Value, notice)
        {
            Closure = await states.ClosureAsync(read.Value.Directive.Id, cancellationToken),
        });
    }

    /// <summary>
    /// Back to the page at the unit, with the file taken (it shows as processing, then its outcome) or why it
    /// was refused; a post too large to read names no unit, so its refusal shows at the form.
    /// </summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> UploadAsync(
        string id, string? taskId, Body<OfficeUploadForm> body, ClaimsPrincipal user, IDirectiveStore directives, IDirectiveStateStore states, StatisticsUploads uploads, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            var directive = DirectiveId.Parse(id);
            var refusal = refused.Status == StatusCodes.Status413PayloadTooLarge ? UploadRefusal.TooLarge : UploadRefusal.Unreadable;
            return directive.IsSuccess
                ? new SeeOther($"{PagePath(directive.Value, taskId)}&loi-tep={WireFormat.Name(refusal)}#{FormAnchor}")
                : PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy số liệu"), StatusCodes.Status404NotFound);
        }

        var target = await StatisticsFeature.OfficeTargetAsync(id, body.Value.UnitId, taskId, directives, states, cancellationToken);
        if (!target.IsSuccess)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy số liệu", target.Error!.Message), StatusCodes.Status404NotFound);
        }

        if (target.Value.Closed is { } closure)
        {
            return PageResults.Render<MessagePage, Message>(
                new Message("Công văn đã kết thúc", $"{closure.OfficeUploadNotice} Muốn gửi, xin mở lại công văn trước.", new Link(PagePath(target.Value.Directive.Id, target.Value.Task.Id.Value), "Về trang số liệu"), Office: true),
                StatusCodes.Status409Conflict);
        }

        var received = await uploads.ReceiveAsync(target.Value, body.Value.File, UploadSender.Office, cancellationToken, user.ActorOf());
        var page = $"{PagePath(target.Value.Directive.Id, target.Value.Task.Id.Value)}&gui-thay={target.Value.UnitId}";
        return new SeeOther((received.IsSuccess ? page : $"{page}&loi-tep={WireFormat.Name(received.Refusal!.Value)}") + $"#unit-{target.Value.UnitId}");
    }

    private static string PagePath(DirectiveId directive, string? taskId) =>
        $"/office/directives/{directive}/statistics?taskId={Uri.EscapeDataString(taskId ?? string.Empty)}";
}

/// <summary>The office just uploaded a file for <see cref="Unit"/>: taken, or refused for <see cref="Refusal"/>; no unit when the post could not be read at all.</summary>
public sealed record OfficeUploadNotice(UnitId? Unit, UploadRefusal? Refusal);

/// <summary>The statistics page's form: the unit the office sends a file for, and the file.</summary>
public sealed record OfficeUploadForm(string UnitId, IFormFile? File) : IRequestBody<OfficeUploadForm>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static OfficeUploadForm FromForm(IFormCollection form) => new(form["unitId"].ToString(), form.Files.FirstOrDefault(f => f.Length > 0));
}

/// <summary>The statistics page: the consolidated report, each unit's name, and the office's last upload for a unit.</summary>
public sealed record StatisticsModel(ConsolidatedReport Report, Func<UnitId, string> NameOf, OfficeUploadNotice? Notice = null)
{
    /// <summary>The directive's closure: the office's upload form gives way to a notice (an upload would be refused).</summary>
    public DirectiveClosure? Closure { get; init; }

    /// <summary>How many rows get a chart (a long template's table says the rest).</summary>
    public const int MaxCharts = 12;

    /// <summary>The units in <paramref name="state"/>, in Vietnamese alphabetical order.</summary>
    public IReadOnlyList<UnitReport> InState(UnitReportState state) =>
        Report.Units.Where(u => u.State == state).OrderBy(u => NameOf(u.UnitId), Domain.Common.VietnameseCollation.Instance).ToList();

    /// <summary>What the rules check, in words.</summary>
    public IReadOnlyList<string> RuleLines
    {
        get
        {
            var t = Report.Template;
            var rules = Report.Spec.Rules;
            var lines = new List<string> { "Số liệu là số nguyên không âm." };
            lines.AddRange(rules.Bounds.Select(b => $"{Capital(t.RowName(b.Row))} không lớn hơn {t.RowName(b.Limit)} trong cùng cột."));
            if (rules.TotalsAreSums)
            {
                lines.Add(t.TotalRow is not null && t.TotalColumn is not null ? "Dòng tổng và cột tổng bằng tổng các phần."
                    : t.TotalRow is not null ? "Dòng tổng bằng tổng các dòng." : "Cột tổng bằng tổng các cột.");
            }

            lines.Add(rules.Blanks == BlankCells.Required ? "Phải điền đủ mọi ô (ghi 0 nếu không có)." : "Ô để trống được tính là 0.");
            lines.Add(Report.Spec.Coverage == Coverage.Branch
                ? "Số liệu của một đơn vị gồm cả các đơn vị trực thuộc: đơn vị nằm trong đơn vị khác cũng được giao chỉ được hiển thị, không cộng thêm."
                : "Số liệu của mỗi đơn vị chỉ tính riêng đơn vị đó.");
            return lines;
        }
    }

    private static string Capital(string text) => text.Length > 0 ? char.ToUpperInvariant(text[0]) + text[1..] : text;

    public string? ProblemFor(UnitId unit) => Notice is { Refusal: { } refusal } n && n.Unit == unit ? UploadRefusals.Message(refusal) : null;

    /// <summary>Whether the office's file for <paramref name="unit"/> was just taken and is still being checked (once checked, its outcome says the rest).</summary>
    public bool SentFor(UnitReport unit) => Notice is { Refusal: null } n && n.Unit == unit.UnitId && unit.Latest is { State: UploadState.Processing };

    /// <summary>Why the office's last post could not be taken at all (too large to read: no unit named), shown at the form.</summary>
    public string? FormProblem => Notice is { Unit: null, Refusal: { } refusal } ? UploadRefusals.Message(refusal) : null;

    /// <summary>The units the office may send a file for: those without figures in force, then the others, by name.</summary>
    public IReadOnlyList<UnitReport> UploadChoices =>
        Report.Units.OrderBy(u => u.State == UnitReportState.Accepted).ThenBy(u => NameOf(u.UnitId), Domain.Common.VietnameseCollation.Instance).ToList();
}
