using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.Assignments;

/// <summary>
/// What one unit sent for one directive, as the office opens it from a cell of the board:
/// <c>GET /office/directives/{id}/units/{unitId}</c> (OfficeAssignment: per task, where the unit
/// stands, the furthest step of its ladder, and every version with its time, on-time/late mark,
/// note and files) and <c>GET …/files/{versionId}/{index}</c> (DownloadAttachment: the
/// index-th file of that version, always as an attachment). Office only.
/// </summary>
public static class AssignmentPages
{
    public static IEndpointRouteBuilder MapAssignmentPages(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/directives/{id}/units/{unitId}").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        office.MapGet("/", PageAsync).WithName("OfficeAssignment").AsPage();
        office.MapGet("/files/{versionId}/{index}", DownloadAsync).WithName("DownloadAttachment").ExcludeFromDescription();
        return app;
    }

    private static async Task<RazorComponentResult> PageAsync(
        string id, string unitId, IDirectiveStore directives, ISubmissionStore submissions, IStoredFiles files, UnitRegistry units, IEscalationStore escalations,
        ICalendarSource calendars, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, unitId, directives, cancellationToken) is not var (directive, unit, tasks))
        {
            return NotFound();
        }

        var versions = await submissions.ListAsync(directive.Id, unit, cancellationToken);
        var stored = versions.Any(v => v.Attachments.Count > 0) ? await files.ListAsync(directive.Id, unit, cancellationToken) : new Dictionary<string, StoredFile>();
        var now = time.GetUtcNow();
        var days = await calendars.DayCountAsync(cancellationToken);
        var lines = new List<AssignmentTask>();
        foreach (var task in tasks)
        {
            var history = versions.Where(v => v.TaskId == task.Id).OrderByDescending(v => v.At).ThenByDescending(v => v.VersionId, StringComparer.Ordinal).ToList();
            var ladder = await escalations.LadderAsync(new AssignmentKey(directive.Id, task.Id, unit), cancellationToken);
            lines.Add(new AssignmentTask(
                task,
                AssignmentStanding.Evaluate(task.Deadline, history, now, days),
                DirectiveBoard.Highest(ladder.Value.Recorded),
                history.Select(v => new VersionLine(v, v.Attachments.Select((path, i) => FileLine.Of(directive.Id, unit, v, i, stored.GetValueOrDefault(path))).ToList())).ToList()));
        }

        return PageResults.Render<AssignmentPage, AssignmentPageModel>(new AssignmentPageModel(directive, unit, await units.FindAsync(unit, cancellationToken), lines, now, days));
    }

    /// <summary>The file a stored version keeps at <paramref name="index"/>: nothing the caller typed names a blob, only ids checked against the unit's versions.</summary>
    private static async Task<Results<FileStreamHttpResult, RazorComponentResult>> DownloadAsync(
        string id, string unitId, string versionId, string index, HttpResponse response, IDirectiveStore directives, ISubmissionStore submissions, IStoredFiles files,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(id, unitId, directives, cancellationToken) is not var (directive, unit, _)
            || !int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            || (await submissions.ListAsync(directive.Id, unit, cancellationToken)).FirstOrDefault(v => v.VersionId == versionId) is not { } version
            || i >= version.Attachments.Count
            || await files.OpenAsync(version.Attachments[i], cancellationToken) is not { } file)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy tệp", "Tệp không còn, hoặc đường dẫn không đúng."), StatusCodes.Status404NotFound);
        }

        return Downloads.Stream(response, file.Content, Downloads.Binary, file.Name);
    }

    /// <summary>The directive, the unit and the directive's tasks assigned to it; null when either does not exist or nothing is assigned.</summary>
    private static async Task<(Directive Directive, UnitId Unit, IReadOnlyList<DirectiveTask> Tasks)?> FindAsync(string id, string unitId, IDirectiveStore directives, CancellationToken cancellationToken)
    {
        var directiveId = DirectiveId.Parse(id);
        var unit = UnitId.Parse(unitId);
        if (!directiveId.IsSuccess || !unit.IsSuccess || await directives.GetAsync(directiveId.Value, cancellationToken) is not { } directive)
        {
            return null;
        }

        var tasks = directive.Tasks.Where(t => t.Units.Contains(unit.Value)).ToList();
        return tasks.Count == 0 ? null : (directive, unit.Value, tasks);
    }

    private static RazorComponentResult NotFound() =>
        PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy đơn vị trong công văn này"), StatusCodes.Status404NotFound);
}
