using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Calendar;

/// <summary>
/// Section <c>Calendar</c>: how days overdue (and days left) are counted on the board, the units'
/// pages and in the API (<c>working-days</c>, the default, or <c>calendar-days</c>), and how often an instance asks
/// storage whether the office changed the calendar (its copy is used in between).
/// </summary>
public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    public string CountDaysIn { get; set; } = "working-days";

    public int CheckEverySeconds { get; set; } = 30;

    public DayUnit DayUnit => CountDaysIn == "calendar-days" ? DayUnit.CalendarDays : DayUnit.WorkingDays;

    public static void Validate(CalendarOptions o, SettingsCheck check)
    {
        check.That(o.CountDaysIn is "working-days" or "calendar-days", nameof(CountDaysIn), $"must be 'working-days' or 'calendar-days' (is '{o.CountDaysIn}').");
        check.That(o.CheckEverySeconds is >= 1 and <= 3600, nameof(CheckEverySeconds), $"must be from 1 to 3600 seconds (is {o.CheckEverySeconds}).");
    }
}

/// <summary>
/// The working-day calendar: <c>GET/PUT /api/calendar/{year}</c> (CalendarYear: a year's days off,
/// make-up days, settings and history; the office replaces a year's settings), and
/// <c>GET /api/working-days?days=5&amp;from=2026-02-13</c> (CountWorkingDays: the last day of a term in
/// working days and how it was counted). Registers the calendar every feature counts with
/// (<see cref="ICalendarSource"/>) and its store.
/// </summary>
public static class CalendarFeature
{
    public const long MaxCalendarBody = 64 * 1024;

    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddSettings<CalendarOptions>(CalendarOptions.Section, CalendarOptions.Validate);
        return services
            .AddTable(TableCalendarStore.TableName)
            .AddSingleton<ICalendarStore, TableCalendarStore>()
            .AddSingleton(sp =>
            {
                var o = sp.GetRequiredService<IOptions<CalendarOptions>>().Value;
                return new WorkingCalendars(sp.GetRequiredService<ICalendarStore>(), sp.GetRequiredService<TimeProvider>())
                {
                    CheckEvery = TimeSpan.FromSeconds(o.CheckEverySeconds),
                    CountDaysIn = o.DayUnit,
                };
            })
            .AddSingleton<ICalendarSource>(sp => sp.GetRequiredService<WorkingCalendars>())
            .AddSingleton<CalendarDesk>();
    }

    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/api").WithTags("Calendar");
        office.MapGet("/calendar/{year}", GetAsync).WithName("GetCalendarYear").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).ProducesProblem(StatusCodes.Status404NotFound);
        office.MapPut("/calendar/{year}", PutAsync).WithName("PutCalendarYear").RequireOfficeRole(OfficeRole.VanPhong).WithBody<PutCalendarYearRequest>(MaxCalendarBody)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        office.MapGet("/working-days", CountAsync).WithName("CountWorkingDays").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).ProducesValidationProblem();
        return app;
    }

    /// <summary>Who made a change, as the calendar's history shows it: the account's (or the program key's) display name.</summary>
    public static string ChangedBy(ClaimsPrincipal user) =>
        user.FindFirstValue(OfficeAuthentication.DisplayNameClaim) ?? user.Identity?.Name ?? "office";

    private static async Task<Results<Ok<CalendarYearResponse>, ApiProblem>> GetAsync(string year, CalendarDesk desk, CancellationToken cancellationToken)
    {
        var parsed = CalendarEdits.ParseYear(year);
        return parsed.IsSuccess
            ? TypedResults.Ok(CalendarYearResponse.Of(await desk.ViewAsync(parsed.Value, cancellationToken)))
            : Problems.For(parsed.Error!);
    }

    private static async Task<Results<Ok<CalendarYearResponse>, ApiProblem>> PutAsync(
        string year, Body<PutCalendarYearRequest> body, ClaimsPrincipal user, CalendarDesk desk, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var parsed = CalendarEdits.ParseYear(year);
        if (!parsed.IsSuccess)
        {
            return Problems.For(parsed.Error!);
        }

        var request = body.Value;
        var changed = await desk.ChangeAsync(parsed.Value, _ => CalendarEdits.Replace(parsed.Value, request.Settings, request.OverrideInputs), ChangedBy(user), cancellationToken);
        if (changed.IsSuccess)
        {
            await audit.RecordCalendarAsync(user, parsed.Value, changed.Value.What, cancellationToken);
        }

        return changed.IsSuccess
            ? TypedResults.Ok(CalendarYearResponse.Of(await desk.ViewAsync(parsed.Value, cancellationToken)))
            : Problems.For(changed.Error!);
    }

    private static async Task<Results<Ok<WorkingDaysCountResponse>, ApiProblem>> CountAsync(string? days, string? from, ICalendarSource calendars, CancellationToken cancellationToken)
    {
        var term = WorkingDaysCount.Parse(days, from);
        return term.IsSuccess
            ? TypedResults.Ok(WorkingDaysCountResponse.Of(term.Value.Count(await calendars.CurrentAsync(cancellationToken))))
            : Problems.For(term.Error!);
    }
}

/// <summary>A term in working days as asked for in a query string or a form: a number of days and the date counted from (ISO or dd/MM/yyyy).</summary>
public static class WorkingDaysCount
{
    public static Result<WorkingDaysTerm> Parse(string? days, string? from)
    {
        var v = new Validation();
        if (!int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
        {
            v.Add("days", "invalid-working-days", $"Số ngày làm việc phải là số nguyên từ 1 đến {WorkingDaysTerm.MaxDays}.");
        }

        var value = (from ?? string.Empty).Trim();
        if (!Domain.Time.VietnamTime.TryParseIsoOrWritten(value, out var start))
        {
            v.Add("from", value.Length == 0 ? "required" : "invalid-date", "Ngày bắt đầu tính phải viết dạng ngày/tháng/năm, ví dụ 13/02/2026.");
        }

        return v.HasErrors ? v.ToError() : WorkingDaysTerm.Create(count, start, "days");
    }
}
