using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.UnitRecords;

/// <summary>
/// How each unit did across directives — the basis for reminding or criticising it:
/// <c>GET /office/units</c> (OfficeUnitRecords: every unit with, for a period of months, its tasks on time,
/// late and not done; search, level, only the late ones, ordered latest first or by name or level;
/// 100 a page) and <c>GET /office/units/{unitId}</c> (OfficeUnitRecord: one unit's tasks of the
/// period, each with its directive, deadline and where it stands, linking to what it sent).
/// The list reads the units' records by month (one query) and the unit tree; a unit's record reads
/// its shard of each directive's board due in the period.
/// </summary>
public static class UnitRecordPages
{
    public static IEndpointRouteBuilder MapUnitRecordPages(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/units").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        office.MapGet("/", ListAsync).WithName("OfficeUnitRecords").AsPage();
        office.MapGet("/{unitId}", RecordAsync).WithName("OfficeUnitRecord").AsPage();
        return app;
    }

    private static async Task<RazorComponentResult> ListAsync(
        string? tu, string? den, string? q, string? cap, string? tre, string? sx, string? trang,
        OfficeDesk desk, IDirectiveStore directives, UnitRegistry units, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var choice = Period.Choose(tu, den, now);
        var headers = directives.ListAsync(cancellationToken);
        var tree = await units.CurrentTreeAsync(cancellationToken);
        var all = await desk.UnitsAsync(choice.Period, tree, cancellationToken);
        var query = UnitsModel.ReadQuery(q, cap, tre, sx);
        var matching = query.Apply(all);
        var page = UnitsModel.PageOf(trang, matching.Count);
        return PageResults.Render<UnitsPage, UnitsModel>(new UnitsModel(
            choice, Period.Choices(await headers, now), query, matching.Skip((page - 1) * UnitsModel.PageSize).Take(UnitsModel.PageSize).ToList(), matching.Count, all.Count, page, desk.CountDaysIn));
    }

    private static async Task<RazorComponentResult> RecordAsync(
        string unitId, string? tu, string? den, OfficeDesk desk, IDirectiveStore directives, UnitRegistry units, TimeProvider time, CancellationToken cancellationToken)
    {
        var id = UnitId.Parse(unitId);
        if (!id.IsSuccess)
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        var choice = Period.Choose(tu, den, now);
        var unit = await units.FindAsync(id.Value, cancellationToken);
        var lines = await desk.UnitTasksAsync(id.Value, choice.Period, cancellationToken);
        if (unit is null && lines.Count == 0)
        {
            return NotFound();
        }

        var headers = await directives.ListAsync(cancellationToken);
        return PageResults.Render<UnitRecordPage, UnitRecordModel>(new UnitRecordModel(id.Value, unit, choice, Period.Choices(headers, now), UnitRecord.Of(lines.Select(l => l.Standing)), lines, desk.CountDaysIn));
    }

    private static RazorComponentResult NotFound() =>
        PageResults.Render<MessagePage, Message>(new Message("Không tìm thấy đơn vị", null, new Link("/office/units", "Về danh sách đơn vị"), Office: true), StatusCodes.Status404NotFound);
}
