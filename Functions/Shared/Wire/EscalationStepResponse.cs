using ServerlessWorkflow.Domain.Escalation;

namespace ServerlessWorkflow.Functions.Shared.Wire;

/// <summary>
/// A recorded step of a unit's ladder, as the directive's answer and the escalations' answer show
/// it: the step's stable name (<c>step-2</c>), its Vietnamese name, what became of its email, and when.
/// </summary>
public sealed record EscalationStepResponse(string Step, string Name, StepOutcome Outcome, DateTimeOffset? At)
{
    public static EscalationStepResponse Of(StepRecord record) =>
        new(record.Step.Name, record.Step.DisplayName, record.Outcome, record.At);
}
