using ServerlessWorkflow.Functions.Hosting.Invocations;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// <c>CheckDeadlines</c> (timer, schedule in its function.json): one complete cycle of reminders,
/// escalations and digests, derived from stored state — never from <c>IsPastDue</c> or the time
/// of the last run. The cycle itself arrives with the deadlines feature; until then a run only
/// records that it happened.
/// </summary>
public sealed partial class CheckDeadlinesFunction(TimeProvider time, ILogger<CheckDeadlinesFunction> logger) : ITimerTriggerFunction
{
    public const string FunctionName = "CheckDeadlines";
    public const string BindingName = "timer";

    public Task RunAsync(TimerTriggerInput timer, CancellationToken cancellationToken)
    {
        LogRun(logger, time.GetUtcNow(), timer.IsPastDue);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CheckDeadlines ran at {At:O} (past due: {IsPastDue})")]
    private static partial void LogRun(ILogger logger, DateTimeOffset at, bool isPastDue);
}

public static class CheckDeadlinesFeature
{
    public static IServiceCollection AddCheckDeadlines(this IServiceCollection services) =>
        services.AddScoped<CheckDeadlinesFunction>();

    public static IEndpointRouteBuilder MapCheckDeadlines(this IEndpointRouteBuilder app)
    {
        app.MapTimerTrigger<CheckDeadlinesFunction>(CheckDeadlinesFunction.FunctionName, CheckDeadlinesFunction.BindingName);
        return app;
    }
}
