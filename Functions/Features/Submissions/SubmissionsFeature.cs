using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessWorkflow.Domain.Common;
using Microsoft.AspNetCore.Mvc;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Functions.Features.Directives;
using ServerlessWorkflow.Functions.Hosting.Http;
using ServerlessWorkflow.Functions.Hosting.Telemetry;
using ServerlessWorkflow.Functions.Pages;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Submissions;

/// <summary>
/// The unit's side, behind its signed link: <c>GET /u/{token}</c> (UnitPage) and
/// <c>POST /u/{token}/tasks/{taskId}</c> (SubmitTask: urlencoded, multipart with attached files,
/// or JSON). Browsers get post/redirect/get; programs get JSON. Attached files are kept as blobs in
/// <c>attachments/{directiveId}/{unitId}/{taskId}/{random}</c>, named by the server.
/// </summary>
public static class SubmissionsFeature
{
    public const string AttachmentsContainer = "attachments";
    public const long MaxSubmissionBody = 10 * 1024 * 1024;
    public const int MaxFiles = 5;
    private const string PageTitle = "Báo cáo thực hiện công văn";

    public static IServiceCollection AddSubmissions(this IServiceCollection services) =>
        services.AddTable(TableSubmissionStore.TableName)
            .AddContainer(AttachmentsContainer)
            .AddSingleton<ISubmissionStore, TableSubmissionStore>()
            .AddSingleton<UnitWorkspace>();

    public static IEndpointRouteBuilder MapSubmissions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/u/{token}", PageAsync).WithName("UnitPage").WithTags("Units' pages").ExcludeFromDescription();
        app.MapPost("/u/{token}/tasks/{taskId}", SubmitAsync).WithName("SubmitTask").WithTags("Units' pages").DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> PageAsync(
        string token, string? ok, [FromQuery(Name = "tai-len")] string? uploaded, [FromQuery(Name = "loi-tep")] string? uploadProblem,
        HttpRequest request, UnitWorkspace workspace, IStatisticsStore statistics, CancellationToken cancellationToken)
    {
        var view = await workspace.OpenAsync(token, cancellationToken);
        if (!view.IsSuccess)
        {
            return WantsJson(request) ? Problems.For(view.Error!) : NotFoundPage();
        }

        if (WantsJson(request))
        {
            return TypedResults.Ok(ToJson(view.Value));
        }

        var uploads = new Dictionary<TaskId, IReadOnlyList<Upload>>();
        foreach (var task in view.Value.Tasks.Where(t => t.Task.Kind == TaskKind.Statistics))
        {
            uploads[task.Task.Id] = (await statistics.UploadsAsync(view.Value.Directive.Id, task.Task.Id, cancellationToken)).Where(u => u.UnitId == view.Value.UnitId).ToList();
        }

        var confirmed = TaskId.Parse(ok);
        var uploadTask = TaskId.Parse(uploaded);
        var problem = uploadProblem is not null ? Statistics.StatisticsFeature.UploadProblems.GetValueOrDefault(uploadProblem) : null;
        return PageLayout.Page(PageTitle, UnitPageView.Render(
            view.Value, token, confirmed.IsSuccess ? confirmed.Value : null, uploadTask.IsSuccess ? uploadTask.Value : null, null, uploads, problem));
    }

    private static async Task<IResult> SubmitAsync(
        string token,
        string taskId,
        HttpRequest request,
        UnitWorkspace workspace,
        BlobServiceClient blobs,
        StorageNames names,
        AppTelemetry telemetry,
        CancellationToken cancellationToken)
    {
        var html = SubmittedForm.WantsHtml(request);
        var target = await workspace.ResolveAsync(token, taskId, cancellationToken);
        if (!target.IsSuccess)
        {
            return html ? NotFoundPage() : Problems.For(target.Error!);
        }

        var read = await SubmittedForm.ReadAsync(request, MaxSubmissionBody, cancellationToken);
        if (!read.Succeeded)
        {
            return html ? await ErrorPageAsync(workspace, token, taskId, Error.Validation("files", read.Status == 413 ? "too-large" : "unreadable", read.Problem!), read.Status, cancellationToken) : Problems.For(read);
        }

        var form = read.Form!;
        var files = form.Files.Where(f => f.Content.Length > 0).ToList();
        if (files.Count > MaxFiles)
        {
            var tooMany = Error.Validation("files", "too-many-files", $"Tối đa {MaxFiles} tệp đính kèm mỗi lần gửi.");
            return html ? await ErrorPageAsync(workspace, token, taskId, tooMany, 400, cancellationToken) : Problems.For(tooMany);
        }

        var attachments = await StoreAttachmentsAsync(files, target.Value, blobs, names, cancellationToken);
        // Programs send Idempotency-Key; every rendered form carries its own key, so a double click stores one version.
        var key = request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } header ? header : form[UnitPageView.FormKeyField];
        var receipt = await workspace.SubmitAsync(target.Value, form["status"], form["note"], key, attachments, cancellationToken);
        if (!receipt.IsSuccess)
        {
            await DeleteAsync(blobs, names, attachments, cancellationToken);
            return html ? await ErrorPageAsync(workspace, token, taskId, receipt.Error!, 400, cancellationToken) : Problems.For(receipt.Error!);
        }

        if (!receipt.Value.Added)
        {
            await DeleteAsync(blobs, names, attachments, cancellationToken);
        }
        else
        {
            telemetry.Submission(receipt.Value.Version.Late ? "late" : "on-time");
        }

        if (html)
        {
            return new SeeOther($"/u/{token}?ok={Uri.EscapeDataString(taskId)}#task-{Uri.EscapeDataString(taskId)}");
        }

        var body = new
        {
            versionId = receipt.Value.Version.VersionId,
            taskId = receipt.Value.Version.TaskId.Value,
            unitId = receipt.Value.Version.UnitId.Value,
            status = SubmissionStatuses.Wire(receipt.Value.Version.Status),
            note = receipt.Value.Version.Note,
            at = receipt.Value.Version.At,
            late = receipt.Value.Version.Late,
            attachments = receipt.Value.Version.Attachments.Count,
            state = AssignmentStanding.Wire(receipt.Value.State),
            repeated = !receipt.Value.Added,
        };
        return receipt.Value.Added ? TypedResults.Created($"/u/{token}", body) : TypedResults.Ok(body);
    }

    private static object ToJson(UnitWorkspaceView view) => new
    {
        directive = new { id = view.Directive.Id.Value, number = view.Directive.Number, subject = view.Directive.Subject, issuer = view.Directive.Issuer },
        unit = new { id = view.UnitId.Value, name = view.Unit?.Name },
        tasks = view.Tasks.Select(t => new
        {
            id = t.Task.Id.Value,
            title = t.Task.Title,
            kind = TaskKinds.Wire(t.Task.Kind),
            deadline = DirectivesFeature.WireDeadline(t.Task.Deadline),
            daysLeft = t.Task.Deadline.DaysLeft(view.Now),
            state = AssignmentStanding.Wire(t.Standing.State),
            history = t.History.Select(v => new { versionId = v.VersionId, status = SubmissionStatuses.Wire(v.Status), note = v.Note, at = v.At, late = v.Late, attachments = v.Attachments.Count }),
        }),
    };

    private static async Task<IReadOnlyList<string>> StoreAttachmentsAsync(
        List<SubmittedFile> files, UnitTask target, BlobServiceClient blobs, StorageNames names, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return [];
        }

        var container = blobs.GetBlobContainerClient(names.Container(AttachmentsContainer));
        var stored = new List<string>();
        foreach (var file in files)
        {
            // The server names the blob; the person's file name is kept only as metadata, reduced to safe characters.
            var name = $"{target.Directive.Id}/{target.UnitId}/{target.Task.Id}/{Guid.NewGuid():N}";
            await container.GetBlobClient(name).UploadAsync(
                BinaryData.FromBytes(file.Content),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
                    Metadata = new Dictionary<string, string> { ["filename"] = SafeFileName(file.FileName) },
                },
                cancellationToken);
            stored.Add(name);
        }

        return stored;
    }

    private static async Task DeleteAsync(BlobServiceClient blobs, StorageNames names, IEnumerable<string> attachments, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(names.Container(AttachmentsContainer));
        foreach (var name in attachments)
        {
            await container.DeleteBlobIfExistsAsync(name, cancellationToken: cancellationToken);
        }
    }

    /// <summary>ASCII letters, digits, '.', '-', '_' only (blob metadata is an HTTP header), at most 100 characters.</summary>
    private static string SafeFileName(string fileName)
    {
        var folded = Text.Fold(Path.GetFileName(fileName));
        var safe = new string(folded.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return safe.Length == 0 ? "tep" : safe[..Math.Min(100, safe.Length)];
    }

    private static bool WantsJson(HttpRequest request) => SubmittedForm.Accepts(request, "application/json");

    /// <summary>The unit's page again, with the problem shown at the task (the only path of a post that reads the whole workspace).</summary>
    private static async Task<IResult> ErrorPageAsync(UnitWorkspace workspace, string token, string taskId, Error error, int status, CancellationToken cancellationToken)
    {
        var view = await workspace.OpenAsync(token, cancellationToken);
        if (!view.IsSuccess)
        {
            return NotFoundPage();
        }

        var task = TaskId.Parse(taskId);
        return PageLayout.Page(PageTitle, UnitPageView.Render(view.Value, token, null, task.IsSuccess ? task.Value : null, error), status);
    }

    private static IResult NotFoundPage() => PageLayout.Page(
        "Không tìm thấy trang",
        Html.Of($"<section><h1>Không tìm thấy trang</h1><p>Đường dẫn không đúng hoặc đã hết hạn. Xin liên hệ Văn phòng Đảng ủy để được gửi lại đường dẫn.</p></section>"),
        StatusCodes.Status404NotFound);
}
