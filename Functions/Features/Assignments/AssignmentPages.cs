using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.Assignments;

/// <summary>
/// The files a unit sent for a directive, as the office downloads them from the unit's page
/// (<c>GET /office/directives/{id}/units/{unitId}</c>, OfficeAssignment, with the unit's ladder):
/// <c>GET …/files/{versionId}/{index}</c> (DownloadAttachment: the index-th file of that version,
/// always as an attachment). Office only.
/// </summary>
public static class AssignmentPages
{
    public static IEndpointRouteBuilder MapAssignmentPages(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/directives/{id}/units/{unitId}").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        office.MapGet("/files/{versionId}/{index}", DownloadAsync).WithName("DownloadAttachment").ExcludeFromDescription();
        return app;
    }

    /// <summary>The file a stored version keeps at <paramref name="index"/>: nothing the caller typed names a blob, only ids checked against the unit's versions.</summary>
    private static async Task<Results<FileStreamHttpResult, RazorComponentResult>> DownloadAsync(
        string id, string unitId, string versionId, string index, HttpResponse response, IDirectiveStore directives, ISubmissionStore submissions, IStoredFiles files,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(id, unitId, directives, cancellationToken) is not var (directive, unit)
            || !int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            || (await submissions.ListAsync(directive.Id, unit, cancellationToken)).FirstOrDefault(v => v.VersionId == versionId) is not { } version
            || i >= version.Attachments.Count
            || await files.OpenAsync(version.Attachments[i], cancellationToken) is not { } file)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy tệp", "Tệp không còn, hoặc đường dẫn không đúng."), StatusCodes.Status404NotFound);
        }

        return Downloads.Stream(response, file.Content, Downloads.Binary, file.Name);
    }

    /// <summary>The directive and the unit; null when either does not exist or the directive assigns the unit nothing.</summary>
    private static async Task<(Directive Directive, UnitId Unit)?> FindAsync(string id, string unitId, IDirectiveStore directives, CancellationToken cancellationToken)
    {
        var directiveId = DirectiveId.Parse(id);
        var unit = UnitId.Parse(unitId);
        if (!directiveId.IsSuccess || !unit.IsSuccess || await directives.GetAsync(directiveId.Value, cancellationToken) is not { } directive)
        {
            return null;
        }

        return directive.Tasks.Any(t => t.Units.Contains(unit.Value)) ? (directive, unit.Value) : null;
    }
}
