using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.Calendar;

/// <summary>
/// The office's calendar page: <c>GET /office/calendar</c> (OfficeCalendar: this year) and
/// <c>GET/POST /office/calendar/{year}</c> (OfficeCalendarYear): the year's days off and make-up
/// days, as a list and month by month; its settings (weekly rest, Tết's days off, the day beside
/// 02/09), the days the office decides otherwise (added and removed one by one), a calculator for
/// terms in working days (<c>?so-ngay=5&amp;tu-ngay=13/02/2026</c>) and the history of changes.
/// </summary>
public static class CalendarPages
{
    public static IEndpointRouteBuilder MapCalendarPages(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/calendar").RequireOfficeRole(OfficeRole.VanPhong);
        office.MapGet("/", ThisYearAsync).WithName("OfficeCalendar").AsPage();
        office.MapGet("/{year}", ShowAsync).WithName("OfficeCalendarYear").AsPage();
        office.MapPost("/{year}", ChangeAsync).WithName("OfficeCalendarYearPost").WithFormBody<CalendarForm>(CalendarFeature.MaxCalendarBody).AsPage();
        return app;
    }

    private static Task<RazorComponentResult> ThisYearAsync(HttpRequest request, CalendarDesk desk, ICalendarSource calendars, TimeProvider time, CancellationToken cancellationToken) =>
        ShowAsync(VietnamTime.DateOf(time.GetUtcNow()).Year.ToString(CultureInfo.InvariantCulture), request, desk, calendars, cancellationToken);

    private static async Task<RazorComponentResult> ShowAsync(string year, HttpRequest request, CalendarDesk desk, ICalendarSource calendars, CancellationToken cancellationToken)
    {
        var parsed = CalendarEdits.ParseYear(year);
        if (!parsed.IsSuccess)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không có lịch năm này", parsed.Error!.Message), StatusCodes.Status404NotFound);
        }

        // The calculator's query (so-ngay, tu-ngay): a GET form, so the answer can be bookmarked and needs no token.
        var days = request.Query["so-ngay"].ToString();
        var from = request.Query["tu-ngay"].ToString();
        CalculatorModel? calculator = null;
        if (days.Length > 0 || from.Length > 0)
        {
            var term = WorkingDaysCount.Parse(days, from);
            calculator = term.IsSuccess
                ? new CalculatorModel(days, from, term.Value.Count(await calendars.CurrentAsync(cancellationToken)), null)
                : new CalculatorModel(days, from, null, term.Error);
        }

        var notice = request.Query["luu"].Count > 0 ? "Đã lưu lịch. Các hạn tính theo ngày làm việc chưa qua được tính lại theo lịch mới." : null;
        var view = await desk.ViewAsync(parsed.Value, cancellationToken);
        return PageResults.Render<CalendarPage, CalendarPageModel>(new CalendarPageModel(view, CalendarForm.Empty, null, notice, calculator ?? CalculatorModel.Empty));
    }

    /// <summary>Saves one change (the settings, a day added, a day removed) and shows the year again, or the form with its problem and what was typed.</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> ChangeAsync(
        string year, Body<CalendarForm> body, ClaimsPrincipal user, CalendarDesk desk, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var parsed = CalendarEdits.ParseYear(year);
        if (!parsed.IsSuccess)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không có lịch năm này", parsed.Error!.Message), StatusCodes.Status404NotFound);
        }

        var form = body.Refusal is null ? body.Value : CalendarForm.Empty;
        Result<CalendarEdit> changed = body.Refusal is { } refused
            ? refused.AsError()
            : await desk.ChangeAsync(parsed.Value, settings => form.Apply(settings), CalendarFeature.ChangedBy(user), cancellationToken);
        if (changed.IsSuccess)
        {
            await audit.RecordCalendarAsync(user, parsed.Value, changed.Value.What, cancellationToken);
            return new SeeOther($"/office/calendar/{parsed.Value.ToString(CultureInfo.InvariantCulture)}?luu=1#{form.Anchor}");
        }

        var view = await desk.ViewAsync(parsed.Value, cancellationToken);
        return PageResults.Render<CalendarPage, CalendarPageModel>(
            new CalendarPageModel(view, form, changed.Error, null, CalculatorModel.Empty),
            body.Refusal?.Status ?? (changed.Error!.Kind == ErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest));
    }
}
