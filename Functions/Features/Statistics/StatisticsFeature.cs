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
/// the server; 202 for programs, back to the unit's page for people), the blob trigger
/// <c>ImportStatistics</c>, and the office's <c>GET /api/directives/{id}/statistics</c>
/// (GetStatistics: totals and per-unit state) and <c>…/statistics.xlsx</c> (ExportStatistics).
/// </summary>
public static class StatisticsFeature
{
    public const string SpreadsheetContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IServiceCollection AddStatistics(this IServiceCollection services) =>
        services.AddContainer(Upload.Container)
            .AddTable(TableStatisticsStore.UploadsTable)
            .AddTable(TableStatisticsStore.StatisticsTable)
            .AddSingleton<IStatisticsStore, TableStatisticsStore>()
            .AddSingleton<StatisticsImport>()
            .AddScoped<ImportStatisticsFunction>();

    public static IEndpointRouteBuilder MapStatistics(this IEndpointRouteBuilder app)
    {
        app.MapBlobTrigger<ImportStatisticsFunction>(ImportStatisticsFunction.FunctionName, ImportStatisticsFunction.BindingName);

        var upload = "/u/{token}/tasks/{taskId}/statistics";
        app.MapPost(upload, UploadAsync).WithName("UploadStatistics").WithTags("Units' pages").AsPublic().WithBody<UploadStatisticsRequest>(UploadRefusals.MaxBytes)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        app.MapPost(upload, UploadFromPageAsync).WithName("UploadStatisticsPage").AsPublic().WithFormBody<UploadStatisticsRequest>(UploadRefusals.MaxBytes).AsPage();

        var office = app.MapGroup("/api/directives/{id}").WithTags("Statistics").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        office.MapGet("/statistics", GetAsync).WithName("GetStatistics").ProducesProblem(StatusCodes.Status404NotFound);
        office.MapGet("/statistics.xlsx", ExportAsync).WithName("ExportStatistics")
            .Produces<byte[]>(StatusCodes.Status200OK, SpreadsheetContentType).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Accepted<UploadReceived>, ApiProblem>> UploadAsync(
        string token, string taskId, Body<UploadStatisticsRequest> body, UnitWorkspace workspace, IStatisticsStore store, BlobServiceClient blobs, StorageNames names, TimeProvider time,
        IAuditTrail trail, CancellationToken cancellationToken)
    {
        var target = await StatisticsTaskAsync(workspace, token, taskId, cancellationToken);
        if (!target.IsSuccess)
        {
            return Problems.For(target.Error!);
        }

        var received = await ReceiveAsync(target.Value, body.Value.File, store, blobs, names, time, trail, cancellationToken);
        if (!received.IsSuccess)
        {
            return Problems.Problem(
                received.Refusal == UploadRefusal.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                received.Refusal == UploadRefusal.TooLarge ? "too-large" : "invalid-file",
                UploadRefusals.Message(received.Refusal!.Value));
        }

        var page = $"/u/{token}";
        return TypedResults.Accepted(page, new UploadReceived(received.Upload!.Id.Value, received.Upload.State, target.Value.Task.Id.Value, page));
    }

    /// <summary>The unit page's form: back to the page, at the task, with the file's fate (or why it was refused).</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> UploadFromPageAsync(
        string token, string taskId, Body<UploadStatisticsRequest> body, UnitWorkspace workspace, IStatisticsStore store, BlobServiceClient blobs, StorageNames names, TimeProvider time,
        IAuditTrail trail, CancellationToken cancellationToken)
    {
        var target = await StatisticsTaskAsync(workspace, token, taskId, cancellationToken);
        if (!target.IsSuccess)
        {
            return PageResults.Render<MessagePage, Message>(Message.UnitLinkNotFound, StatusCodes.Status404NotFound);
        }

        var task = target.Value.Task.Id;
        var received = body.Refusal is { } refused
            ? new Received(null, refused.Status == StatusCodes.Status413PayloadTooLarge ? UploadRefusal.TooLarge : UploadRefusal.Unreadable)
            : await ReceiveAsync(target.Value, body.Value.File, store, blobs, names, time, trail, cancellationToken);
        return new SeeOther(received.IsSuccess
            ? $"/u/{token}?tai-len={task}#task-{task}"
            : $"/u/{token}?loi-tep={WireFormat.Name(received.Refusal!.Value)}&tai-len={task}#task-{task}");
    }

    /// <summary>The link and the task are all an upload needs: no history, no unit row.</summary>
    private static async Task<Result<UnitTask>> StatisticsTaskAsync(UnitWorkspace workspace, string token, string taskId, CancellationToken cancellationToken)
    {
        var resolved = await workspace.ResolveAsync(token, taskId, cancellationToken);
        return resolved is { IsSuccess: true, Value.Task.Kind: TaskKind.Statistics }
            ? resolved
            : Error.NotFound("task-not-found", "Không tìm thấy nhiệm vụ báo cáo thống kê.");
    }

    /// <summary>An upload taken (recorded as processing, its file kept for ImportStatistics), or why not.</summary>
    private sealed record Received(Upload? Upload, UploadRefusal? Refusal)
    {
        public bool IsSuccess => Upload is not null;
    }

    /// <summary>Keeps the file if its bytes say it is an .xlsx workbook: the upload row first, then the blob that triggers the import.</summary>
    private static async Task<Received> ReceiveAsync(
        UnitTask target, IFormFile? file, IStatisticsStore store, BlobServiceClient blobs, StorageNames names, TimeProvider time, IAuditTrail trail, CancellationToken cancellationToken)
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
        var upload = new Upload(UploadId.New(now), target.Directive.Id, target.Task.Id, target.UnitId, UploadState.Processing, null, [], now, null);
        await store.AddUploadAsync(upload, cancellationToken);
        await blobs.GetBlobContainerClient(names.Container(Upload.Container)).GetBlobClient(upload.BlobName).UploadAsync(
            content,
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = SpreadsheetContentType } },
            cancellationToken);
        await trail.AppendAsync(
            new AuditEvent
            {
                At = now,
                Actor = AuditActor.Unit(target.UnitId.Value),
                Action = AuditAction.StatisticsUploaded,
                DirectiveId = target.Directive.Id.Value,
                UnitId = target.UnitId.Value,
                Subject = upload.Id.Value,
                Summary = $"Nhiệm vụ {target.Task.Id.Value}: tệp {Math.Max(1, content.ToMemory().Length / 1024)} KB, đang xử lý.",
            },
            cancellationToken);
        return new(upload, null);
    }

    private static async Task<Results<Ok<StatisticsResponse>, ApiProblem>> GetAsync(string id, string? taskId, IDirectiveStore directives, IStatisticsStore store, CancellationToken cancellationToken)
    {
        var read = await ConsolidatedReport.ReadAsync(id, taskId, directives, store, cancellationToken);
        return read.IsSuccess ? TypedResults.Ok(StatisticsResponse.Of(read.Value)) : Problems.For(read.Error!);
    }

    private static async Task<Results<FileContentHttpResult, ApiProblem>> ExportAsync(
        string id, string? taskId, IDirectiveStore directives, IStatisticsStore store, UnitRegistry units, CancellationToken cancellationToken)
    {
        var read = await ConsolidatedReport.ReadAsync(id, taskId, directives, store, cancellationToken);
        if (!read.IsSuccess)
        {
            return Problems.For(read.Error!);
        }

        var report = read.Value;
        var tree = await units.TreeAsync(cancellationToken);
        var rows = report.Units.Select(u =>
        {
            var unit = tree.Find(u.UnitId);
            var state = u.State switch
            {
                UnitReportState.Accepted => "Đã báo cáo",
                UnitReportState.Rejected => "Tệp bị từ chối, chưa gửi lại",
                _ => "Chưa báo cáo",
            };
            return new ExportUnit(unit?.Name ?? u.UnitId.Value, unit is null ? string.Empty : unit.LevelOrKindName, state, u.Values);
        }).OrderBy(r => r.Name, VietnameseCollation.Instance).ToList();
        var directive = report.Directive;
        var workbook = StatisticsWorkbook.Write(new StatisticsExport(directive.Number, directive.IssuedOn, directive.Issuer, report.Task.Title, report.Totals, rows));
        return TypedResults.File(workbook, SpreadsheetContentType, ExportFileName(directive));
    }

    /// <summary>The download's file name: ASCII letters and digits of the directive's number, the rest as dashes.</summary>
    public static string ExportFileName(Directive directive) =>
        "tong-hop-" + new string(Text.Fold(directive.Number).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()) + ".xlsx";
}
