using System.Globalization;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>The rungs of the ladder an unfinished assignment climbs, in order, and the office's own reminders.</summary>
public enum Rung
{
    /// <summary>A reminder to the unit before the deadline (its days before are in <see cref="EscalationPolicy.RemindersDaysBefore"/>).</summary>
    Reminder,

    /// <summary>Step 1, once the unit is late: to the unit.</summary>
    Step1,

    /// <summary>Step 2: to the parent unit, copying the office.</summary>
    Step2,

    /// <summary>Step 3: to the office's list for the standing committee and the inspection committee.</summary>
    Step3,

    /// <summary>A reminder the office sent by hand on a given day (outside the ladder's schedule).</summary>
    Manual,
}

/// <summary>
/// One notification of the ladder: its rung; for reminders how many days before the last day; for
/// the office's own reminders the Vietnam day it was sent (<see cref="DateOnly.DayNumber"/>).
/// </summary>
public readonly record struct LadderStep(Rung Rung, int Days)
{
    public static readonly LadderStep Step1 = new(Rung.Step1, 0);
    public static readonly LadderStep Step2 = new(Rung.Step2, 0);
    public static readonly LadderStep Step3 = new(Rung.Step3, 0);

    public static LadderStep Reminder(int daysBefore) => new(Rung.Reminder, daysBefore);

    /// <summary>The office's reminder by hand on Vietnam day <paramref name="day"/>: one a day per assignment at most.</summary>
    public static LadderStep ManualOn(DateOnly day) => new(Rung.Manual, day.DayNumber);

    /// <summary>Step 1, 2 or 3: a step that escalates lateness.</summary>
    public bool IsOverdueStep => Rung is Rung.Step1 or Rung.Step2 or Rung.Step3;

    /// <summary>A stable name, part of the notification id: <c>reminder-3d</c>, <c>step-1</c>, <c>manual-20260301</c>.</summary>
    public string Name => Rung switch
    {
        Rung.Reminder => $"reminder-{Days.ToString(CultureInfo.InvariantCulture)}d",
        Rung.Manual => $"manual-{DateOnly.FromDayNumber(Days).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}",
        _ => $"step-{((int)Rung).ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>What the office reads on its pages: "Bước 2: báo cấp trên".</summary>
    public string DisplayName => Rung switch
    {
        Rung.Reminder => $"Nhắc trước hạn {Days.ToString(CultureInfo.InvariantCulture)} ngày",
        Rung.Step1 => "Bước 1: nhắc đơn vị quá hạn",
        Rung.Step2 => "Bước 2: báo cấp trên",
        Rung.Step3 => "Bước 3: báo Ban Thường vụ, UBKT",
        _ => $"Văn phòng nhắc trực tiếp ngày {VietnamTime.Format(DateOnly.FromDayNumber(Days))}",
    };

    public static LadderStep? Parse(string name) => name switch
    {
        "step-1" => Step1,
        "step-2" => Step2,
        "step-3" => Step3,
        _ when name.StartsWith("reminder-", StringComparison.Ordinal) && name.EndsWith('d')
            && int.TryParse(name.AsSpan(9, name.Length - 10), NumberStyles.None, CultureInfo.InvariantCulture, out var d) => Reminder(d),
        _ when name.StartsWith("manual-", StringComparison.Ordinal)
            && DateOnly.TryParseExact(name.AsSpan(7), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) => ManualOn(day),
        _ => null,
    };
}

/// <summary>
/// The ladder as the office configured it, in Vietnam time (UTC+7): reminders 3 days and 1 day
/// before the last day; step 1 on the first day late, step 2 on the 2nd and step 3 on the 5th —
/// "days overdue" counted in Vietnam calendar days as on the unit's page (the first day after the
/// last day is day 1) — each at <see cref="SendHour"/>, as is the office's daily digest. When each
/// step is actually due is <see cref="DueRule"/>'s to say.
/// </summary>
public sealed record EscalationPolicy
{
    public IReadOnlyList<int> RemindersDaysBefore { get; init; } = [3, 1];

    public int Step1DaysOverdue { get; init; } = 1;

    public int Step2DaysOverdue { get; init; } = 2;

    public int Step3DaysOverdue { get; init; } = 5;

    /// <summary>The hour of the Vietnam day at which reminders, steps and the digest go out.</summary>
    public int SendHour { get; init; } = 7;

    /// <summary>
    /// Whether the ladder also sends on days off (weekends, holidays) — as it did before the
    /// working-day calendar; by default nothing goes out on a day off (<see cref="DueRule"/>).
    /// </summary>
    public bool SendOnDaysOff { get; init; }

    /// <summary>The reminders, earliest first (3 days before, then 1).</summary>
    public IReadOnlyList<LadderStep> Reminders =>
        [.. RemindersDaysBefore.Where(d => d > 0).Distinct().OrderDescending().Select(LadderStep.Reminder)];

    /// <summary>Steps 1, 2 and 3.</summary>
    public static IReadOnlyList<LadderStep> OverdueSteps { get; } = [LadderStep.Step1, LadderStep.Step2, LadderStep.Step3];

    /// <summary>The ladder in the order it is climbed.</summary>
    public IEnumerable<LadderStep> Steps => Reminders.Concat(OverdueSteps);

    /// <summary>The step's day relative to the deadline's last day: negative for reminders (−3: three days before), 1 for the first day late.</summary>
    public int DaysOverdue(LadderStep step) => step.Rung switch
    {
        Rung.Reminder => -step.Days,
        Rung.Step1 => Step1DaysOverdue,
        Rung.Step2 => Step2DaysOverdue,
        Rung.Step3 => Step3DaysOverdue,
        _ => throw new ArgumentOutOfRangeException(nameof(step), "An office's own reminder has no place in the schedule."),
    };

    /// <summary>The overdue step that must have gone out before <paramref name="step"/> (step 1 before step 2, step 2 before step 3); none for step 1 and reminders.</summary>
    public static LadderStep? Before(LadderStep step) => step.Rung switch
    {
        Rung.Step2 => LadderStep.Step1,
        Rung.Step3 => LadderStep.Step2,
        _ => null,
    };

    /// <summary>The days configured between <paramref name="step"/> and the step before it (step 2 − step 1: 1 day; step 3 − step 2: 3 days).</summary>
    public int GapDays(LadderStep step) => Before(step) is { } before ? DaysOverdue(step) - DaysOverdue(before) : 0;
}
