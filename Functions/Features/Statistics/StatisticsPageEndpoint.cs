using ServerlessWorkflow.Domain.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.Statistics;

/// <summary>
/// <c>GET /office/directives/{id}/statistics</c> (OfficeStatistics): the consolidated 7×4 table, one
/// bar chart per row across the four levels (inline SVG: no script, nothing to load), which units
/// reported, which were rejected (with their first errors) and which are missing, and the .xlsx download.
/// </summary>
public static class StatisticsPageEndpoint
{
    public static IEndpointRouteBuilder MapStatisticsPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/office/directives/{id}/statistics", ShowAsync).WithName("OfficeStatistics").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).AsPage();
        return app;
    }

    private static async Task<RazorComponentResult> ShowAsync(
        string id, string? taskId, IDirectiveStore directives, IStatisticsStore store, UnitRegistry units, CancellationToken cancellationToken)
    {
        var read = await ConsolidatedReport.ReadAsync(id, taskId, directives, store, cancellationToken);
        if (!read.IsSuccess)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy số liệu", read.Error!.Message), StatusCodes.Status404NotFound);
        }

        var tree = await units.TreeAsync(cancellationToken);
        return PageResults.Render<StatisticsPage, StatisticsModel>(new StatisticsModel(read.Value, id => tree.Find(id)?.Name ?? id.Value));
    }
}

/// <summary>The statistics page: the consolidated report, and each unit's name.</summary>
public sealed record StatisticsModel(ConsolidatedReport Report, Func<UnitId, string> NameOf)
{
    /// <summary>The units in <paramref name="state"/>, in Vietnamese alphabetical order.</summary>
    public IReadOnlyList<UnitReport> InState(UnitReportState state) =>
        Report.Units.Where(u => u.State == state).OrderBy(u => NameOf(u.UnitId), Domain.Common.VietnameseCollation.Instance).ToList();
}
