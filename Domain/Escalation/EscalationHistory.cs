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

/// <summary>One recorded step of a ladder: which, what became of it, when (sent, or decided), and its email.</summary>
public sealed record StepRecord(LadderStep Step, StepOutcome Outcome, DateTimeOffset? At, OutboxEntry? Email);

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
                : new StepRecord(m.Step!.Value, StepOutcome.Skipped, m.Mark.At, null))
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
