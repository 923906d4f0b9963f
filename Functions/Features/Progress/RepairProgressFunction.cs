using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Shared.Links;

namespace ServerlessWorkflow.Functions.Features.Progress;

/// <summary>
/// <c>RepairProgress</c> (timer, schedule in its function.json): the office's read models are made
/// good from the stored submissions — a directive without complete counts is built again whole, a
/// hint a post left behind (it stopped between storing its version and updating the read models) is
/// followed. Derived from stored state only, so a missed, doubled or concurrent run changes nothing.
/// </summary>
public sealed partial class RepairProgressFunction(ProgressProjector projector, IOptions<UnitLinkOptions> links, ILogger<RepairProgressFunction> logger) : ITimerTriggerFunction
{
    public const string FunctionName = "RepairProgress";
    public const string BindingName = "timer";

    public async Task RunAsync(TimerTriggerInput timer, CancellationToken cancellationToken)
    {
        var outcome = await projector.RepairAsync(links.Value.LifetimeAfterLastDeadline, cancellationToken);
        if (outcome.Rebuilt + outcome.Followed > 0)
        {
            LogRepaired(logger, outcome.Rebuilt, outcome.Followed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RepairProgress: {Rebuilt} directives built again, {Followed} hints followed")]
    private static partial void LogRepaired(ILogger logger, int rebuilt, int followed);
}
