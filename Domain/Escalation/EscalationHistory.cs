namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>What became of a step an assignment's ladder recorded.</summary>
public enum StepOutcome
{
    /// <summary>Recorded without an email: a reminder overtaken by a later one, or by the deadline.</summary>
    Skipped,

    /// <summary>Its email waits to be handed to the provider (or to be tried again).</summary>
    Pending,

    /// <summary>The provider accepted its email.</summary>
    Sent,

    /// <summary>The provider refused its email, or it kept failing.</summary>
    Failed,

    /// <summary>No provider is configured: the email is recorded, not sent.</summary>
    Recorded,
}

/// <summary>One recorded step of a ladder: which, what became of it, and when (sent, or decided).</summary>
public sealed record StepRecord(LadderStep Step, StepOutcome Outcome, DateTimeOffset? At);

/// <summary>An assignment's ladder as the office reads it: the steps recorded, in the order they are climbed, each with its email's fate.</summary>
public static class EscalationHistory
{
    public static IReadOnlyList<StepRecord> Of(LadderState ladder, IEnumerable<OutboxEntry> emails)
    {
        var byStep = emails.ToDictionary(e => e.Step, StringComparer.Ordinal);
        return ladder.Recorded
            .Select(name => (Name: name, Step: LadderStep.Parse(name)))
            .Where(s => s.Step is not null)
            .Select(s => byStep.TryGetValue(s.Name, out var email)
                ? new StepRecord(s.Step!.Value, Outcome(email.State), email.SentAt ?? email.CreatedAt)
                : new StepRecord(s.Step!.Value, StepOutcome.Skipped, null))
            .OrderBy(r => r.Step.Rung).ThenByDescending(r => r.Step.Days)
            .ToList();
    }

    private static StepOutcome Outcome(OutboxState state) => state switch
    {
        OutboxState.Pending => StepOutcome.Pending,
        OutboxState.Sent => StepOutcome.Sent,
        OutboxState.Failed => StepOutcome.Failed,
        _ => StepOutcome.Recorded,
    };
}
