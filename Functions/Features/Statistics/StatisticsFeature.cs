using System.Security.Claims;
using ServerlessWorkflow.Domain.Accounts;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Functions.Shared.Wire;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Statistics;

/// <summary>
/// Statistics spreadsheets: <c>POST /u/{token}/tasks/{taskId}/statistics</c> (UploadStatistics:
/// multipart, the file kept as blob <c>uploads/{directiveId}/{unitId}/{uploadId}.xlsx</c>, named by
/// the server; 202 for programs, back to the unit's page for people), the unit's blank template
/// (<c>…/template.xlsx</c>, StatisticsTemplateFile) and its rejected file annotated
/// (<c>…/statistics/{uploadId}.xlsx</c>, AnnotatedUpload), the blob trigger <c>ImportStatistics</c>,
/// the office's <c>GET /api/directives/{id}/statistics</c> (GetStatistics: totals now and at the
/// deadline, per-unit state), <c>…/statistics.xlsx</c> (ExportStatistics: the office's template
/// filled; <c>?at=deadline</c> for the figures at the deadline), <c>POST …/statistics/units/{unitId}</c>
/// (UploadStatisticsForUnit: a file the unit emailed, sent by the office for it), and the templates:
/// <c>POST /api/templates</c> (ReadTemplate: the office's blank file read and kept; 201 with what was
/// understood) and <c>GET /api/templates/{templateId}</c> (GetTemplate; <c>643</c> is the ready-made one).
/// </summary>
public static class StatisticsFeature
{
    public const string SpreadsheetContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The query value of <c>at</c> asking for the figures in force at the deadline.</summary>
    public const string AtDeadline = "deadline";

    public static IServiceCollection AddStatistics(this IServiceCollection services) =>
        services.AddContainer(Upload.Container)
            .AddContainer(TableTemplateStore.Container)
            .AddTable(TableStatisticsStore.UploadsTable)
            .AddTable(TableStatisticsStore.StatisticsTable)
            .AddTable(TableTemplateStore.TableName)
            .AddSingleton<IStatisticsStore, TableStatisticsStore>()
            .AddSingleton<ITemplateStore, TableTemplateStore>()
            .AddSingleton<ReportTemplates>()
            .AddSingleton<StatisticsUploads>()
            .AddSingleton<StatisticsImport>()
            .AddScoped<ImportStatisticsFunction>();

    public static IEndpointRouteBuilder MapStatistics(this IEndpointRouteBuilder app)
    {
        app.MapBlobTrigger<ImportStatisticsFunction>(ImportStatisticsFunction.FunctionName, ImportStatisticsFunction.BindingName);

        var upload = "/u/{token}/tasks/{taskId}/statistics";
        app.MapPost(upload, UploadAsync).WithName("UploadStatistics").WithTags("Units' pages").AsPublic().WithBody<UploadStatisticsRequest>(UploadRefusals.MaxBytes)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        app.MapPost(upload, UploadFromPageAsync).WithName("UploadStatisticsPage").AsPublic().WithFormBody<UploadStatisticsRequest>(UploadRefusals.MaxBytes).AsPage();
        app.MapGet("/u/{token}/tasks/{taskId}/template.xlsx", TemplateFileAsync).WithName("StatisticsTemplateFile").WithTags("Units' pages").AsPublic()
            .Produces<byte[]>(StatusCodes.Status200OK, SpreadsheetContentType).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet(upload + "/{uploadId}.xlsx", AnnotatedAsync).WithName("AnnotatedUpload").WithTags("Units' pages").AsPublic()
            .Produces<byte[]>(StatusCodes.Status200OK, SpreadsheetContentType).ProducesProblem(StatusCodes.Status404NotFound);

        var office = app.MapGroup("/api/directives/{id}").WithTags("Statistics").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        office.MapGet("/statistics", GetAsync).WithName("GetStatistics").ProducesProblem(StatusCodes.Status404NotFound);
        office.MapGet("/statistics.xlsx", ExportAsync).WithName("ExportStatistics")
            .Produces<byte[]>(StatusCodes.Status200OK, SpreadsheetContentType).ProducesProblem(StatusCodes.Status404NotFound);
        office.MapPost("/statistics/units/{unitId}", UploadForUnitAsync).WithName("UploadStatisticsForUnit").RequireOfficeRole(OfficeRole.VanPhong).WithBody<UploadStatisticsRequest>(UploadRefusals.MaxBytes)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        var templates = app.MapGroup("/api/templates").WithTags("Statistics");
        templates.MapPost("/", ReadTemplateAsync).WithName("ReadTemplate").RequireOfficeRole(OfficeRole.VanPhong).WithBody<UploadStatisticsRequest>(UploadRefusals.MaxBytes)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        templates.MapGet("/{templateId}", GetTemplateAsync).WithName("GetTemplate").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Accepted<UploadReceived>, ApiProblem>> UploadAsync(
        string token, string taskId, Body<UploadStatisticsRequest> body, UnitWorkspace workspace, StatisticsUploads uploads, CancellationToken cancellationToken) =>
        await AcceptAsync(await StatisticsTaskAsync(workspace, token, taskId, cancellationToken), body.Value.File, UploadSender.Unit, _ => $"/u/{token}", uploads, cancellationToken);

    /// <summary>The file taken for <paramref name="target"/> (202, pointing where its outcome will show), or why not (404 for no such task, 400 or 413 for the file).</summary>
    private static async Task<Results<Accepted<UploadReceived>, ApiProblem>> AcceptAsync(
        Result<UnitTask> target, IFormFile? file, UploadSender sender, Func<UnitTask, string> outcomeAt, StatisticsUploads uploads, CancellationToken cancellationToken, AuditActor? by = null)
    {
        if (!target.IsSuccess)
        {
            return Problems.For(target.Error!);
        }

        if (target.Value.Closed is { } closure)
        {
            return Problems.For(closure.Refusal);
        }

        var received = await uploads.ReceiveAsync(target.Value, file, sender, cancellationToken, by);
        if (!received.IsSuccess)
        {
            return Refused(received.Refusal!.Value);
        }

        var at = outcomeAt(target.Value);
        return TypedResults.Accepted(at, new UploadReceived(received.Upload!.Id.Value, received.Upload.State, target.Value.Task.Id.Value, at));
    }

    /// <summary>An upload refused at once: 413 when too large, else 400 with the refusal's words.</summary>
    public static ApiProblem Refused(UploadRefusal refusal) => Problems.Problem(
        refusal == UploadRefusal.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
        refusal == UploadRefusal.TooLarge ? "too-large" : "invalid-file",
        UploadRefusals.Message(refusal));

    /// <summary>The unit page's form: back to the page, at the task, with the file's fate (or why it was refused).</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> UploadFromPageAsync(
        string token, string taskId, Body<UploadStatisticsRequest> body, UnitWorkspace workspace, StatisticsUploads uploads, CancellationToken cancellationToken)
    {
        var target = await StatisticsTaskAsync(workspace, token, taskId, cancellationToken);
        if (target.Error is { Kind: ErrorKind.Conflict } closed)
        {
            return PageResults.Render<MessagePage, Message>(new Message("Bảng thống kê không được nhận", closed.Message, new Link($"/u/{token}", "Về trang của đơn vị")), StatusCodes.Status409Conflict);
        }

        if (!target.IsSuccess)
        {
            return target.Error!.Kind == ErrorKind.Gone
                ? PageResults.Render<MessagePage, Message>(new Message("Đường dẫn đã được thay", target.Error.Message), StatusCodes.Status410Gone)
                : PageResults.Render<MessagePage, Message>(Message.UnitLinkNotFound, StatusCodes.Status404NotFound);
        }

        if (target.Value.Closed is { } closure)
        {
            return PageResults.Render<MessagePage, Message>(new Message("Công văn đã kết thúc", closure.UnitNotice, new Link($"/u/{token}", "Xem lại những gì đơn vị đã gửi")), StatusCodes.Status409Conflict);
        }

        var task = target.Value.Task.Id;
        var received = body.Refusal is { } refused
            ? new Received(null, refused.Status == StatusCodes.Status413PayloadTooLarge ? UploadRefusal.TooLarge : UploadRefusal.Unreadable)
            : await uploads.ReceiveAsync(target.Value, body.Value.File, UploadSender.Unit, cancellationToken);
        return new SeeOther(received.IsSuccess
            ? $"/u/{token}?tai-len={task}#task-{task}"
            : $"/u/{token}?loi-tep={WireFormat.Name(received.Refusal!.Value)}&tai-len={task}#task-{task}");
    }

    /// <summary>The task's blank template, for the unit to fill: the office's own file (643's for the ready-made template).</summary>
    private static async Task<Results<FileContentHttpResult, ApiProblem>> TemplateFileAsync(
        string token, string taskId, UnitWorkspace workspace, ReportTemplates templates, CancellationToken cancellationToken)
    {
        var target = await StatisticsTaskAsync(workspace, token, taskId, cancellationToken);
        if (!target.IsSuccess || await templates.FileAsync(target.Value.Task.StatisticsOrDefault.Template, cancellationToken) is not { } file)
        {
            return Problems.For(Error.NotFound("template-not-found", "Không tìm thấy mẫu báo cáo của nhiệm vụ này."));
        }

        return TypedResults.File(file, SpreadsheetContentType, "mau-bao-cao-" + FileNamePart(target.Value.Directive.Number) + ".xlsx");
    }

    /// <summary>The unit's rejected file with each wrong cell marked and a note on it; only for a file the unit sent for this task that was rejected for its figures.</summary>
    private static async Task<Results<FileContentHttpResult, ApiProblem>> AnnotatedAsync(
        string token, string taskId, string uploadId, UnitWorkspace workspace, IStatisticsStore store, BlobServiceClient blobs, StorageNames names, CancellationToken cancellationToken)
    {
        var notFound = Problems.For(Error.NotFound("upload-not-found", "Không tìm thấy tệp bị từ chối này."));
        var target = await StatisticsTaskAsync(workspace, token, taskId, cancellationToken);
        if (!target.IsSuccess || UploadId.Parse(uploadId) is not { } id
            || await store.GetUploadAsync(target.Value.Directive.Id, id, cancellationToken) is not { Annotatable: true } upload
            || upload.UnitId != target.Value.UnitId || upload.TaskId != target.Value.Task.Id)
        {
            return notFound;
        }

        var content = (await blobs.GetBlobContainerClient(names.Container(Upload.Container)).GetBlobClient(upload.BlobName).DownloadContentAsync(cancellationToken)).Value.Content;
        byte[] annotated;
        try
        {
            annotated = WorkbookAnnotator.Annotate(content.ToMemory(), upload.Sheet, upload.Anchor, upload.Errors);
        }
        catch (UnreadableSpreadsheetException)
        {
            return notFound;
        }

        return TypedResults.File(annotated, SpreadsheetContentType, $"bao-cao-can-sua-{upload.Id}.xlsx");
    }

    /// <summary>The link and the task are all an upload needs: no history, no unit row.</summary>
    private static async Task<Result<UnitTask>> StatisticsTaskAsync(UnitWorkspace workspace, string token, string taskId, CancellationToken cancellationToken)
    {
        var resolved = await workspace.ResolveAsync(token, taskId, cancellationToken);
        return resolved is { IsSuccess: true, Value.Task.Kind: TaskKind.Statistics } or { Error.Kind: ErrorKind.Gone or ErrorKind.Conflict }
            ? resolved
            : Error.NotFound("task-not-found", "Không tìm thấy nhiệm vụ báo cáo thống kê.");
    }

    private static async Task<Results<Ok<StatisticsResponse>, ApiProblem>> GetAsync(
        string id, string? taskId, IDirectiveStore directives, IStatisticsStore store, ReportTemplates templates, TimeProvider time, CancellationToken cancellationToken)
    {
        var read = await ConsolidatedReport.ReadAsync(id, taskId, directives, store, templates, time.GetUtcNow(), cancellationToken);
        return read.IsSuccess ? TypedResults.Ok(StatisticsResponse.Of(read.Value)) : Problems.For(read.Error!);
    }

    private static async Task<Results<FileContentHttpResult, ApiProblem>> ExportAsync(
        string id, string? taskId, string? at, IDirectiveStore directives, IStatisticsStore store, ReportTemplates templates, UnitRegistry units, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var read = await ConsolidatedReport.ReadAsync(id, taskId, directives, store, templates, time.GetUtcNow(), cancellationToken);
        if (!read.IsSuccess)
        {
            return Problems.For(read.Error!);
        }

        var report = read.Value;
        var atDeadline = at == AtDeadline;
        var tree = await units.TreeAsync(cancellationToken);
        var rows = report.Units.Select(u =>
        {
            var unit = tree.Find(u.UnitId);
            var values = atDeadline ? u.ValuesAtDeadline : u.Values;
            var state = values is null ? (u.State == UnitReportState.Rejected ? "Tệp bị từ chối, chưa gửi lại" : atDeadline && u.Values is not null ? "Gửi sau hạn" : "Chưa báo cáo")
                : u.CoveredBy is { } by ? $"Đã báo cáo (đã gồm trong số liệu của {tree.Find(by)?.Name ?? by.Value}, không cộng thêm)"
                : !atDeadline && u.Late ? "Đã báo cáo sau hạn"
                : "Đã báo cáo";
            return new ExportUnit(unit?.Name ?? u.UnitId.Value, unit is null ? string.Empty : unit.LevelOrKindName, state, values);
        }).OrderBy(r => r.Name, VietnameseCollation.Instance).ToList();
        var directive = report.Directive;
        var workbook = StatisticsWorkbook.Write(new StatisticsExport(directive.Number, directive.IssuedOn, directive.Issuer, report.Task.Title, atDeadline ? report.TotalsAtDeadline : report.Totals, rows)
        {
            Template = report.Template,
            TemplateFile = await templates.FileAsync(report.Template.Id, cancellationToken),
            AtDeadline = atDeadline && report.Task.Deadline is { } due ? due.LastDay : null,
        });
        return TypedResults.File(workbook, SpreadsheetContentType, ExportFileName(directive, atDeadline));
    }

    /// <summary>A file a unit emailed, uploaded by the office for it: recorded as sent by the office for that unit, then imported like the unit's own.</summary>
    private static async Task<Results<Accepted<UploadReceived>, ApiProblem>> UploadForUnitAsync(
        string id, string unitId, string? taskId, Body<UploadStatisticsRequest> body, ClaimsPrincipal user, IDirectiveStore directives, IDirectiveStateStore states, StatisticsUploads uploads, CancellationToken cancellationToken) =>
        await AcceptAsync(
            await OfficeTargetAsync(id, unitId, taskId, directives, states, cancellationToken),
            body.Value.File,
            UploadSender.Office,
            t => $"/api/directives/{t.Directive.Id}/statistics?taskId={t.Task.Id}",
            uploads,
            cancellationToken,
            user.ActorOf());

    /// <summary>The directive's statistics task (<paramref name="taskId"/>, or its first) and one of its units, for the office to upload for; with the directive's closure, which refuses the upload as it refuses the unit's.</summary>
    public static async Task<Result<UnitTask>> OfficeTargetAsync(string id, string unitId, string? taskId, IDirectiveStore directives, IDirectiveStateStore states, CancellationToken cancellationToken)
    {
        var directiveId = DirectiveId.Parse(id);
        var directive = directiveId.IsSuccess ? await directives.GetAsync(directiveId.Value, cancellationToken) : null;
        var unit = UnitId.Parse(unitId);
        var task = directive?.Tasks.FirstOrDefault(t => t.Kind == TaskKind.Statistics && (taskId is null || t.Id.Value == taskId) && unit.IsSuccess && t.Units.Contains(unit.Value));
        return directive is null || task is null
            ? Error.NotFound("statistics-not-found", "Không tìm thấy nhiệm vụ báo cáo thống kê giao cho đơn vị này.")
            : new UnitTask(directive, unit.Value, task) { Closed = await states.ClosureAsync(directive.Id, cancellationToken) };
    }

    private static async Task<Results<Created<TemplateResponse>, ApiProblem>> ReadTemplateAsync(Body<UploadStatisticsRequest> body, ReportTemplates templates, CancellationToken cancellationToken)
    {
        if (body.Value.File is not { } file)
        {
            return Problems.For(Error.Validation("file", "required", "Hãy chọn tệp mẫu báo cáo (.xlsx) của công văn."));
        }

        var content = await BinaryData.FromStreamAsync(file.OpenReadStream(), cancellationToken);
        var template = await templates.AddAsync(content.ToMemory(), cancellationToken);
        return template.IsSuccess
            ? TypedResults.Created($"/api/templates/{template.Value.Id}", TemplateResponse.Of(template.Value, template.Value.SuggestedRules, Coverage.Branch))
            : Problems.For(template.Error!);
    }

    private static async Task<Results<Ok<TemplateResponse>, ApiProblem>> GetTemplateAsync(string templateId, ReportTemplates templates, CancellationToken cancellationToken)
    {
        var id = TemplateId.Parse(templateId);
        return id.IsSuccess && await templates.GetAsync(id.Value, cancellationToken) is { } template
            ? TypedResults.Ok(TemplateResponse.Of(template, template.SuggestedRules, Coverage.Branch))
            : Problems.For(Error.NotFound("template-not-found", "Không tìm thấy mẫu báo cáo này."));
    }

    /// <summary>The download's file name: ASCII letters and digits of the directive's number, the rest as dashes.</summary>
    public static string ExportFileName(Directive directive, bool atDeadline = false) =>
        "tong-hop-" + FileNamePart(directive.Number) + (atDeadline ? "-tai-han" : string.Empty) + ".xlsx";

    private static string FileNamePart(string text) => new(Text.Fold(text).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}

/// <summary>An upload taken (recorded as processing, its file kept for ImportStatistics), or why not.</summary>
public sealed record Received(Upload? Upload, UploadRefusal? Refusal)
{
    public bool IsSuccess => Upload is not null;
}

/// <summary>Takes statistics files, from a unit's link or from the office for a unit.</summary>
public sealed class StatisticsUploads(IStatisticsStore store, BlobServiceClient blobs, StorageNames names, TimeProvider time, IAuditTrail trail)
{
    /// <summary>Keeps the file if its bytes say it is an .xlsx workbook: the upload row first, then the blob that triggers the import.</summary>
    public async Task<Received> ReceiveAsync(UnitTask target, IFormFile? file, UploadSender sender, CancellationToken cancellationToken, AuditActor? by = null)
    {
        if (file is null)
        {
            return new(null, UploadRefusal.NoFile);
        }

        var content = await BinaryData.FromStreamAsync(file.OpenReadStream(), cancellationToken);
        if (UploadRefusals.ForContent(content.ToMemory().Span) is { } refusal)
        {
            return new(null, refusal);
        }

        var now = time.GetUtcNow();
        var upload = new Upload(UploadId.New(now), target.Directive.Id, target.Task.Id, target.UnitId, UploadState.Processing, null, [], now, null) { SentBy = sender };
        await store.AddUploadAsync(upload, cancellationToken);
        await blobs.GetBlobContainerClient(names.Container(Upload.Container)).GetBlobClient(upload.BlobName).UploadAsync(
            content,
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = StatisticsFeature.SpreadsheetContentType } },
            cancellationToken);
        await trail.AppendAsync(
            new AuditEvent
            {
                At = now,
                Actor = by ?? AuditActor.Unit(target.UnitId.Value),
                Action = AuditAction.StatisticsUploaded,
                DirectiveId = target.Directive.Id.Value,
                UnitId = target.UnitId.Value,
                Subject = upload.Id.Value,
                Summary = $"Nhiệm vụ {target.Task.Id.Value}: tệp {Math.Max(1, content.ToMemory().Length / 1024)} KB, đang xử lý.",
            },
            cancellationToken);
        return new(upload, null);
    }
}
