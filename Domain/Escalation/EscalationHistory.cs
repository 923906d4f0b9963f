namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>What became of a step an assignment's ladder recorded.</summary>
public enum StepOutcome
{
    /// <summary>Recorded without an email: a reminder overtaken by a later one or by the deadline, a step nobody could be reached for, or one not sent when its turn came.</summary>
    Skipped,

    /// <summary>Its email waits to be handed to the provider (or to be tried again).</summary>
    Pending,

    /// <summary>The provider accepted its email.</summary>
    Sent,

    /// <summary>The provider refused its email, or it kept failing.</summary>
    Failed,

    /// <summary>No provider or sender is configured: the email is recorded, not sent.</summary>
    Recorded,
}

/// <summary>One recorded step of a ladder: which, what became of it, when (sent, or decided), its email, and whether it was skipped for want of a recipient.</summary>
public sealed record StepRecord(LadderStep Step, StepOutcome Outcome, DateTimeOffset? At, OutboxEntry? Email, bool NoRecipient = false)
{
    /// <summary>What became of the step, in the office's words: its email's state and why, or why nothing was sent.</summary>
    public string Description => Email is { } email
        ? OutboxNotes.Describe(email)
        : NoRecipient
            ? "Không gửi: đơn vị, đơn vị cấp trên và Văn phòng đều chưa có địa chỉ thư điện tử."
            : Step.Rung == Rung.Reminder
                ? "Không gửi: đã qua thời điểm nhắc."
                : "Không gửi.";
}

/// <summary>An assignment's ladder as the office reads it: the steps recorded, in the order they happened, each with its email's fate.</summary>
public static class EscalationHistory
{
    public static IReadOnlyList<StepRecord> Of(LadderState ladder, IEnumerable<OutboxEntry> emails)
    {
        var byId = emails.ToDictionary(e => e.Id, StringComparer.Ordinal);
        return ladder.Marks
            .Select(m => (Step: LadderStep.Parse(m.Key), Mark: m.Value))
            .Where(m => m.Step is not null)
            .Select(m => m.Mark.EmailId is { } id && byId.TryGetValue(id, out var email)
                ? new StepRecord(m.Step!.Value, Outcome(email.State), email.SentAt ?? email.SettledAt ?? email.CreatedAt, email)
                : new StepRecord(m.Step!.Value, StepOutcome.Skipped, m.Mark.At, null, m.Mark.NoRecipient))
            .OrderBy(r => r.At ?? DateTimeOffset.MinValue).ThenBy(r => r.Step.Rung).ThenByDescending(r => r.Step.Days)
            .ToList();
    }

    private static StepOutcome Outcome(OutboxState state) => state switch
    {
        OutboxState.Pending => StepOutcome.Pending,
        OutboxState.Sent => StepOutcome.Sent,
        OutboxState.Failed => StepOutcome.Failed,
        OutboxState.Skipped => StepOutcome.Skipped,
        _ => StepOutcome.Recorded,
    };
}
