using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// <c>GET /office/directives/{id}/board.xlsx</c> (ExportBoard): the board as a workbook
/// (<see cref="BoardWorkbook"/>), every row the board's query string asks for (q, cap, tt, sx — none:
/// every unit), not only one page. Office only; always an attachment.
/// </summary>
public static class BoardExport
{
    public static IEndpointRouteBuilder MapBoardExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/office/directives/{id}/board.xlsx", ExportAsync).WithName("ExportBoard").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<FileContentHttpResult, RazorComponentResult>> ExportAsync(
        string id, string? q, string? cap, string? tt, string? sx, HttpResponse response,
        OfficeDesk desk, UnitRegistry units, IEscalationStore escalations, TimeProvider time, CancellationToken cancellationToken)
    {
        var tree = await units.CurrentTreeAsync(cancellationToken);
        var view = await desk.ViewAsync(id, tree, cancellationToken);
        if (!view.IsSuccess)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy công văn"), StatusCodes.Status404NotFound);
        }

        var ladders = await escalations.LaddersAsync(view.Value.Directive.Id, cancellationToken);
        var board = DirectiveBoard.Of(view.Value, tree, ladders, BoardModel.ReadQuery(q, cap, tt, sx));
        return Downloads.Bytes(response, BoardWorkbook.Write(board, view.Value.Days, time.GetUtcNow()), Downloads.Spreadsheet, Downloads.Name("theo-doi", board.Directive.Number, ".xlsx"));
    }
}
