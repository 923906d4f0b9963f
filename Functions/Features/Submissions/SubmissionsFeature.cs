using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Hosting.Telemetry;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Functions.Shared.Wire;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Submissions;

/// <summary>
/// The unit's side, behind its signed link: <c>GET /u/{token}</c> (UnitPage: the page; JSON for
/// programs that ask for it) and <c>POST /u/{token}/tasks/{taskId}</c> (SubmitTask: the page's form
/// with attached files, answered by post/redirect/get; JSON or multipart from programs, answered
/// 201/200 with the version).
/// </summary>
public static class SubmissionsFeature
{
    public const long MaxSubmissionBody = 10 * 1024 * 1024;
    public const int MaxFiles = 5;

    public static IServiceCollection AddSubmissions(this IServiceCollection services) =>
        services.AddTable(TableSubmissionStore.TableName)
            .AddContainer(AttachmentStore.Container)
            .AddSingleton<Domain.Progress.ISubmissionLedger, TableSubmissionStore>()
            .AddSingleton<AttachmentStore>()
            .AddSingleton<IStoredFiles, StoredFiles>()
            .AddSingleton<UnitWorkspace>();

    public static IEndpointRouteBuilder MapSubmissions(this IEndpointRouteBuilder app)
    {
        var unit = app.MapGroup("/u/{token}").WithTags("Units' pages").AsPublic();
        unit.MapGet("/", PageAsync).WithName("UnitPage").AsPage(byDefault: true);
        unit.MapGet("/", WorkspaceAsync).WithName("GetUnitWorkspace").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);
        unit.MapPost("/tasks/{taskId}", SubmitAsync).WithName("SubmitTask").WithBody<SubmitTaskRequest>(MaxSubmissionBody)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        unit.MapPost("/tasks/{taskId}", SubmitFromPageAsync).WithName("SubmitTaskPage").WithFormBody<SubmitTaskRequest>(MaxSubmissionBody).AsPage();
        return app;
    }

    private static async Task<RazorComponentResult> PageAsync(
        string token, string? ok, [FromQuery(Name = "tai-len")] string? uploaded, [FromQuery(Name = "loi-tep")] string? uploadProblem,
        UnitWorkspace workspace, IStatisticsStore statistics, IDirectiveEditStore history, CancellationToken cancellationToken)
    {
        var refusal = WireFormat.TryParse<UploadRefusal>(uploadProblem, out var r) ? r : (UploadRefusal?)null;
        return await UnitPageAsync(token, new UnitPageNotice(ParseTask(ok), ParseTask(uploaded), null, refusal), StatusCodes.Status200OK, workspace, statistics, history, cancellationToken);
    }

    private static async Task<Results<Ok<UnitWorkspaceResponse>, ApiProblem>> WorkspaceAsync(string token, UnitWorkspace workspace, CancellationToken cancellationToken)
    {
        var view = await workspace.OpenAsync(token, cancellationToken);
        return view.IsSuccess ? TypedResults.Ok(UnitWorkspaceResponse.Of(view.Value)) : Problems.For(view.Error!);
    }

    private static async Task<Results<Created<SubmissionResponse>, Ok<SubmissionResponse>, ApiProblem>> SubmitAsync(
        string token, string taskId, Body<SubmitTaskRequest> body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        UnitWorkspace workspace, AttachmentStore attachments, AppTelemetry telemetry, IAuditTrail trail, CancellationToken cancellationToken)
    {
        var target = await workspace.ResolveAsync(token, taskId, cancellationToken);
        if (!target.IsSuccess)
        {
            return Problems.For(target.Error!);
        }

        // The header is the programs' way; a form posted by a program carries its own key like the page's.
        var receipt = await StoreAsync(target.Value, body.Value, idempotencyKey ?? body.Value.IdempotencyKey, workspace, attachments, telemetry, trail, cancellationToken);
        if (!receipt.IsSuccess)
        {
            return Problems.For(receipt.Error!);
        }

        var response = SubmissionResponse.Of(receipt.Value);
        return receipt.Value.Added ? TypedResults.Created($"/u/{token}", response) : TypedResults.Ok(response);
    }

    /// <summary>The page's form: back to the page with a confirmation (post/redirect/get), or the page again with the problem at the task.</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> SubmitFromPageAsync(
        string token, string taskId, Body<SubmitTaskRequest> body,
        UnitWorkspace workspace, AttachmentStore attachments, IStatisticsStore statistics, IDirectiveEditStore history, AppTelemetry telemetry, IAuditTrail trail, CancellationToken cancellationToken)
    {
        var target = await workspace.ResolveAsync(token, taskId, cancellationToken);
        if (target.Error is { Kind: ErrorKind.Conflict } closed)
        {
            // Cancelled, or the unit taken off it: the page again, the notice at the task, nothing recorded.
            return await UnitPageAsync(token, new UnitPageNotice(null, TaskId.Parse(taskId).Value, closed, null, body.Refusal is null ? body.Value : null), StatusCodes.Status409Conflict, workspace, statistics, history, cancellationToken);
        }

        if (!target.IsSuccess)
        {
            return UnitPage.NotOpened(target.Error!);
        }

        var receipt = body.Refusal is { } refused
            ? Result<SubmissionReceipt>.Failure(refused.AsError("files"))
            : await StoreAsync(target.Value, body.Value, body.Value.IdempotencyKey, workspace, attachments, telemetry, trail, cancellationToken);
        if (receipt.IsSuccess)
        {
            var task = Uri.EscapeDataString(taskId);
            return new SeeOther($"/u/{token}?ok={task}#task-{task}");
        }

        return await UnitPageAsync(
            token, new UnitPageNotice(null, target.Value.Task.Id, receipt.Error, null, body.Refusal is null ? body.Value : null),
            body.Refusal?.Status ?? (receipt.Error!.Kind == ErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest), workspace, statistics, history, cancellationToken);
    }

    /// <summary>Stores the attached files, then the version; a version that is refused or that repeats one already stored keeps no files.</summary>
    private static async Task<Result<SubmissionReceipt>> StoreAsync(
        UnitTask target, SubmitTaskRequest request, string? idempotencyKey, UnitWorkspace workspace, AttachmentStore attachments, AppTelemetry telemetry, IAuditTrail trail, CancellationToken cancellationToken)
    {
        if (target.Closed is { } closure)
        {
            return closure.Refusal; // before any file is kept
        }

        if (request.Files.Count > MaxFiles)
        {
            return Error.Validation("files", "too-many-files", $"Tối đa {MaxFiles} tệp đính kèm mỗi lần gửi.");
        }

        var stored = await attachments.StoreAsync(target, request.Files, cancellationToken);
        var receipt = await workspace.SubmitAsync(target, request.Status, request.Note, idempotencyKey, stored, cancellationToken);
        if (receipt is not { IsSuccess: true, Value.Added: true })
        {
            await attachments.DeleteAsync(stored, cancellationToken);
        }
        else
        {
            telemetry.Submission(receipt.Value.Version.Late ? "late" : "on-time");
            var version = receipt.Value.Version;
            // Group-committed with whatever else this instance appends meanwhile (TableAuditTrail): one
            // transaction for many posts, so the trail does not halve the submission path's throughput.
            await trail.AppendAsync(
                new AuditEvent
                {
                    At = version.At,
                    Actor = AuditActor.Unit(version.UnitId.Value),
                    Action = AuditAction.SubmissionReceived,
                    DirectiveId = version.DirectiveId.Value,
                    UnitId = version.UnitId.Value,
                    Subject = version.VersionId,
                    Summary = $"Nhiệm vụ {version.TaskId.Value}: {SubmissionStatuses.Name(version.Status).ToLowerInvariant()}{(version.Late ? ", trễ hạn" : string.Empty)}{(version.Attachments.Count > 0 ? $", {version.Attachments.Count} tệp đính kèm" : string.Empty)}.",
                },
                cancellationToken);
        }

        return receipt;
    }

    private static async Task<RazorComponentResult> UnitPageAsync(
        string token, UnitPageNotice notice, int status, UnitWorkspace workspace, IStatisticsStore statistics, IDirectiveEditStore history, CancellationToken cancellationToken)
    {
        var view = await workspace.OpenAsync(token, cancellationToken);
        if (!view.IsSuccess)
        {
            return UnitPage.NotOpened(view.Error!);
        }

        var uploads = new Dictionary<TaskId, IReadOnlyList<Upload>>();
        foreach (var task in view.Value.Tasks.Where(t => t.Task.Kind == TaskKind.Statistics))
        {
            uploads[task.Task.Id] = (await statistics.UploadsAsync(view.Value.Directive.Id, task.Task.Id, cancellationToken)).Where(u => u.UnitId == view.Value.UnitId).ToList();
        }

        // The directive's changes that concern this unit, newest first ("gia hạn nhiệm vụ … đến … (lý do …)").
        var changes = (await history.ChangesAsync(view.Value.Directive, cancellationToken))
            .Select(c => (Change: c, Lines: c.For(view.Value.UnitId))).Where(c => c.Lines.Count > 0).OrderByDescending(c => c.Change.Revision).ToList();
        return PageResults.Render<UnitPage, UnitPageModel>(new UnitPageModel(view.Value, token, notice, uploads) { Changes = changes }, status);
    }

    private static TaskId? ParseTask(string? id) => TaskId.Parse(id) is { IsSuccess: true } parsed ? parsed.Value : null;
}
