using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Functions.Hosting.Http;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Statistics;

/// <summary>
/// Statistics spreadsheets: <c>POST /u/{token}/tasks/{taskId}/statistics</c> (UploadStatistics:
/// multipart, the file kept as blob <c>uploads/{directiveId}/{unitId}/{uploadId}.xlsx</c>, named by
/// the server; 202), the blob trigger <c>ImportStatistics</c>, and the office's
/// <c>GET /api/directives/{id}/statistics</c> (GetStatistics: totals and per-unit state).
/// </summary>
public static class StatisticsFeature
{
    public const long MaxUploadBytes = 5 * 1024 * 1024;

    public static IServiceCollection AddStatistics(this IServiceCollection services) =>
        services.AddContainer(StatisticsTemplate.UploadsContainer)
            .AddTable(TableStatisticsStore.UploadsTable)
            .AddTable(TableStatisticsStore.StatisticsTable)
            .AddSingleton<IStatisticsStore, TableStatisticsStore>()
            .AddSingleton<StatisticsImport>()
            .AddScoped<ImportStatisticsFunction>();

    public static IEndpointRouteBuilder MapStatistics(this IEndpointRouteBuilder app)
    {
        app.MapBlobTrigger<ImportStatisticsFunction>(ImportStatisticsFunction.FunctionName, ImportStatisticsFunction.BindingName);
        app.MapPost("/u/{token}/tasks/{taskId}/statistics", UploadAsync).WithName("UploadStatistics").WithTags("Units' pages").DisableAntiforgery();
        app.MapGet("/api/directives/{id}/statistics", GetAsync).WithName("GetStatistics").WithTags("Statistics").RequireAuthorization(OfficeAuthentication.Policy);
        app.MapGet("/api/directives/{id}/statistics.xlsx", ExportAsync).WithName("ExportStatistics").WithTags("Statistics").RequireAuthorization(OfficeAuthentication.Policy);
        return app;
    }

    private static async Task<IResult> UploadAsync(
        string token, string taskId, HttpRequest request, UnitWorkspace workspace, IStatisticsStore store, BlobServiceClient blobs, StorageNames names, TimeProvider time, CancellationToken cancellationToken)
    {
        var html = SubmittedForm.WantsHtml(request);
        // The link and the task are all an upload needs: no history, no unit row.
        var resolved = await workspace.ResolveAsync(token, taskId, cancellationToken);
        if (!resolved.IsSuccess || resolved.Value.Task.Kind != TaskKind.Statistics)
        {
            return Problems.For(Error.NotFound("task-not-found", "Không tìm thấy nhiệm vụ báo cáo thống kê."));
        }

        var target = resolved.Value;

        var read = await SubmittedForm.ReadAsync(request, MaxUploadBytes, cancellationToken);
        if (!read.Succeeded)
        {
            return Refuse(html, token, target.Task.Id, read.Status, read.Status == StatusCodes.Status413PayloadTooLarge ? "too-large" : "unreadable");
        }

        var file = read.Form!.Files.FirstOrDefault(f => f.Content.Length > 0);
        if (file is null)
        {
            return Refuse(html, token, target.Task.Id, StatusCodes.Status400BadRequest, "no-file");
        }

        if (StatisticsParser.FormatProblem(file.Content.Span) is not null)
        {
            return Refuse(html, token, target.Task.Id, StatusCodes.Status400BadRequest, SpreadsheetReader.Detect(file.Content.Span).ToString().ToLowerInvariant());
        }

        var now = time.GetUtcNow();
        var upload = new Upload(UploadId.New(now), target.Directive.Id, target.Task.Id, target.UnitId, UploadState.Processing, null, [], now, null);
        await store.AddUploadAsync(upload, cancellationToken);
        await blobs.GetBlobContainerClient(names.Container(StatisticsTemplate.UploadsContainer)).GetBlobClient(upload.BlobName).UploadAsync(
            BinaryData.FromBytes(file.Content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } },
            cancellationToken);

        var page = $"/u/{token}";
        return html
            ? new SeeOther($"{page}?tai-len={target.Task.Id}#task-{target.Task.Id}")
            : TypedResults.Accepted(page, new { uploadId = upload.Id.Value, state = "processing", taskId = target.Task.Id.Value, status = page });
    }

    /// <summary>Why an upload is refused at once, by code: a browser is sent back to its page with the code (never free text), a program gets problem+json.</summary>
    public static readonly IReadOnlyDictionary<string, string> UploadProblems = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["too-large"] = $"Tệp quá lớn (tối đa {MaxUploadBytes / (1024 * 1024)} MB). Mẫu báo cáo thường chỉ vài chục KB.",
        ["unreadable"] = "Không đọc được tệp gửi lên; hãy thử lại.",
        ["no-file"] = "Hãy chọn tệp bảng tính (.xlsx) để gửi.",
        ["empty"] = StatisticsParser.FormatProblem([])!,
        ["xls"] = StatisticsParser.FormatProblem(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 })!,
        ["ods"] = "Tệp là bảng tính OpenDocument (.ods). Hãy mở bằng LibreOffice hoặc Excel và lưu lại dưới dạng Excel Workbook (.xlsx).",
        ["unknown"] = StatisticsParser.FormatProblem("?"u8)!,
        ["zipbutnotspreadsheet"] = StatisticsParser.FormatProblem("?"u8)!,
    };

    private static IResult Refuse(bool html, string token, TaskId task, int status, string code) =>
        html
            ? new SeeOther($"/u/{token}?loi-tep={code}&tai-len={task}#task-{task}")
            : Problems.Problem(status, status == StatusCodes.Status413PayloadTooLarge ? "too-large" : "invalid-file", UploadProblems[code]);

    private static async Task<IResult> ExportAsync(string id, string? taskId, IDirectiveStore directives, IStatisticsStore store, Domain.Units.UnitRegistry units, CancellationToken cancellationToken)
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
            return new ExportUnit(unit?.Name ?? u.UnitId.Value, unit is null ? string.Empty : Domain.Units.UnitLevels.Name(unit.Level), state, u.Values);
        }).OrderBy(r => r.Name, VietnameseCollation.Instance).ToList();
        var directive = report.Directive;
        var workbook = StatisticsWorkbook.Write(new StatisticsExport(directive.Number, directive.IssuedOn, directive.Issuer, report.Task.Title, report.Totals, rows));
        return TypedResults.File(workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ExportFileName(directive));
    }

    /// <summary>The download's file name: ASCII letters and digits of the directive's number, the rest as dashes.</summary>
    public static string ExportFileName(Directive directive) =>
        "tong-hop-" + new string(Text.Fold(directive.Number).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()) + ".xlsx";

    private static async Task<IResult> GetAsync(string id, string? taskId, IDirectiveStore directives, IStatisticsStore store, CancellationToken cancellationToken)
    {
        var read = await ConsolidatedReport.ReadAsync(id, taskId, directives, store, cancellationToken);
        if (!read.IsSuccess)
        {
            return Problems.For(read.Error!);
        }

        var report = read.Value;
        return TypedResults.Ok(new
        {
            directiveId = report.Directive.Id.Value,
            taskId = report.Task.Id.Value,
            totals = new { reported = report.Totals.Reported, values = report.Totals.ToRows() },
            units = report.Units.Select(u =>
            {
                var last = u.Latest;
                return new
                {
                    unitId = u.UnitId.Value,
                    state = u.State.ToString().ToLowerInvariant(),
                    values = u.Values is { } values ? new StatisticsReport(values, null).ToRows() : null,
                    errors = (last?.State == UploadState.Rejected ? last.Errors : []).Select(e => new { cell = e.Cell, message = e.Message }),
                    latestUpload = last is null ? null : new
                    {
                        id = last.Id.Value,
                        state = last.State.ToString().ToLowerInvariant(),
                        receivedAt = last.ReceivedAt,
                    },
                };
            }),
        });
    }
}
