using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Hosting.Telemetry;

namespace ServerlessWorkflow.Functions.Hosting.Invocations;

/// <summary>A blob-triggered function: its work for one blob version. Throwing fails the invocation (the host retries).</summary>
public interface IBlobTriggerFunction
{
    Task RunAsync(BlobTriggerInput blob, CancellationToken cancellationToken);
}

/// <summary>A timer-triggered function: one complete cycle, derived from stored state.</summary>
public interface ITimerTriggerFunction
{
    Task RunAsync(TimerTriggerInput timer, CancellationToken cancellationToken);
}

/// <summary>
/// Maps the custom-handler contract for non-HTTP triggers once: <c>POST /{FunctionName}</c>
/// with the host's payload, answered with <see cref="InvocationResponse"/>. A body the handler
/// cannot read answers 400, a failure of the function 500 — both fail the invocation.
/// </summary>
public static partial class TriggerEndpoints
{
    public static RouteHandlerBuilder MapBlobTrigger<TFunction>(this IEndpointRouteBuilder app, string functionName, string bindingName)
        where TFunction : class, IBlobTriggerFunction =>
        app.MapInvocation(functionName, (request, services, ct) =>
            services.GetRequiredService<TFunction>().RunAsync(BlobTriggerInput.From(request, bindingName), ct));

    public static RouteHandlerBuilder MapTimerTrigger<TFunction>(this IEndpointRouteBuilder app, string functionName, string bindingName)
        where TFunction : class, ITimerTriggerFunction =>
        app.MapInvocation(functionName, (request, services, ct) =>
            services.GetRequiredService<TFunction>().RunAsync(TimerTriggerInput.From(request, bindingName), ct));

    private static RouteHandlerBuilder MapInvocation(
        this IEndpointRouteBuilder app,
        string functionName,
        Func<InvocationRequest, IServiceProvider, CancellationToken, Task> run) =>
        app.MapPost("/" + functionName, async Task<Results<Ok<InvocationResponse>, BadRequest<InvocationResponse>, JsonHttpResult<InvocationResponse>>> (
                HttpContext context, ILoggerFactory loggers, AppTelemetry telemetry, CancellationToken cancellationToken) =>
            {
                var logger = loggers.CreateLogger("ServerlessWorkflow.Functions.Invocation");
                InvocationRequest request;
                try
                {
                    request = await InvocationRequest.ReadAsync(context.Request.Body, cancellationToken);
                    await run(request, context.RequestServices, cancellationToken);
                }
                catch (InvocationFormatException ex)
                {
                    LogUnreadable(logger, functionName, ex.Message);
                    telemetry.Invocation(functionName, "unreadable");
                    return TypedResults.BadRequest(InvocationResponse.Failed(ex.Message));
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex, functionName);
                    telemetry.Invocation(functionName, "failed");
                    return TypedResults.Json(
                        InvocationResponse.Failed($"{functionName} failed: {ex.GetType().Name}"),
                        statusCode: StatusCodes.Status500InternalServerError);
                }

                telemetry.Invocation(functionName, "succeeded");
                return TypedResults.Ok(InvocationResponse.Completed);
            })
            .WithName(functionName)
            // The host's own calls, over loopback: no function.json routes these paths from outside.
            .AsPublic()
            .ExcludeFromDescription()
            .DisableAntiforgery();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FunctionName} could not read its invocation: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string functionName, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{FunctionName} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string functionName);
}
