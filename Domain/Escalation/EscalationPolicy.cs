using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>The rungs of the ladder an unfinished assignment climbs, in order.</summary>
public enum Rung
{
    /// <summary>A reminder to the unit before the deadline (its days before are in <see cref="EscalationPolicy.RemindersDaysBefore"/>).</summary>
    Reminder,

    /// <summary>Step 1, on the first run after the deadline passes: to the unit.</summary>
    Step1,

    /// <summary>Step 2: to the parent unit, copying the office.</summary>
    Step2,

    /// <summary>Step 3: to the office's list for the standing committee and the inspection committee.</summary>
    Step3,
}

/// <summary>One notification of the ladder: its rung, and for reminders how many days before the deadline.</summary>
public readonly record struct LadderStep(Rung Rung, int Days)
{
    /// <summary>A stable name, part of the notification id: <c>reminder-3d</c>, <c>step-1</c>, …</summary>
    public string Name => Rung == Rung.Reminder ? $"reminder-{Days}d" : $"step-{(int)Rung}";

    /// <summary>What the office reads on its pages: "Bước 2: báo cấp trên".</summary>
    public string DisplayName => Rung switch
    {
        Rung.Reminder => $"Nhắc trước hạn {Days.ToString(System.Globalization.CultureInfo.InvariantCulture)} ngày",
        Rung.Step1 => "Bước 1: nhắc đơn vị quá hạn",
        Rung.Step2 => "Bước 2: báo cấp trên",
        _ => "Bước 3: báo Ban Thường vụ, UBKT",
    };

    public static LadderStep? Parse(string name) => name switch
    {
        "step-1" => new LadderStep(Rung.Step1, 0),
        "step-2" => new LadderStep(Rung.Step2, 0),
        "step-3" => new LadderStep(Rung.Step3, 0),
        _ when name.StartsWith("reminder-", StringComparison.Ordinal) && name.EndsWith('d')
            && int.TryParse(name.AsSpan(9, name.Length - 10), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) => new LadderStep(Rung.Reminder, d),
        _ => null,
    };
}

/// <summary>
/// When each rung is due, in Vietnam time (UTC+7). Defaults follow the office's practice:
/// reminders 3 days and 1 day before the last day, at <see cref="SendHour"/> in the morning;
/// step 1 as soon as the deadline passes; step 2 when the unit is 2 days overdue and step 3 when it
/// is 5 days overdue — "days overdue" counted in Vietnam calendar days as on the unit's page (the
/// first day after the last day is day 1), each from <see cref="SendHour"/>; the office's digest
/// once a day at <see cref="SendHour"/>.
/// </summary>
public sealed record EscalationPolicy
{
    public IReadOnlyList<int> RemindersDaysBefore { get; init; } = [3, 1];

    public int Step2DaysOverdue { get; init; } = 2;

    public int Step3DaysOverdue { get; init; } = 5;

    /// <summary>The hour of the Vietnam day at which reminders, later steps and the digest go out.</summary>
    public int SendHour { get; init; } = 7;

    /// <summary>The ladder in the order it is climbed.</summary>
    public IEnumerable<LadderStep> Steps =>
        RemindersDaysBefore.Where(d => d > 0).OrderDescending().Select(d => new LadderStep(Rung.Reminder, d))
            .Concat([new LadderStep(Rung.Step1, 0), new LadderStep(Rung.Step2, 0), new LadderStep(Rung.Step3, 0)]);

    /// <summary>The instant <paramref name="step"/> falls due for <paramref name="deadline"/>.</summary>
    public DateTimeOffset DueAt(LadderStep step, Deadline deadline) => step.Rung switch
    {
        Rung.Reminder => AtSendHour(deadline.LastDay.AddDays(-step.Days)),
        Rung.Step1 => deadline.PassesAt,
        Rung.Step2 => AtSendHour(deadline.LastDay.AddDays(Step2DaysOverdue)),
        Rung.Step3 => AtSendHour(deadline.LastDay.AddDays(Step3DaysOverdue)),
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };

    /// <summary>The instant of the digest for Vietnam day <paramref name="day"/>.</summary>
    public DateTimeOffset DigestAt(DateOnly day) => AtSendHour(day);

    private DateTimeOffset AtSendHour(DateOnly day) => VietnamTime.StartOf(day).AddHours(SendHour);
}
