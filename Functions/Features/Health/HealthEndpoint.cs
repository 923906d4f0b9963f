using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServerlessWorkflow.Functions.Features.Health;

/// <summary><c>GET /api/health</c> (function <c>Health</c>): 200 <c>{"status":"ok"}</c> when storage answers, else 503 problem+json.</summary>
public static class HealthEndpoint
{
    public const string Route = "/api/health";

    public static IServiceCollection AddHealthFeature(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Route, new HealthCheckOptions
        {
            AllowCachingResponses = false,
            ResponseWriter = WriteAsync,
        })
        .WithName("Health")
        .WithDisplayName("Health")
        .DisableHttpMetrics();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (report.Status == HealthStatus.Healthy)
        {
            return TypedResults.Json(new { status = "ok" }).ExecuteAsync(context);
        }

        context.Response.Headers.RetryAfter = "5";
        var reason = report.Entries.Values.Select(e => e.Description).FirstOrDefault(d => d is not null);
        ProblemHttpResult problem = TypedResults.Problem(
            title: "Storage is unavailable",
            detail: reason,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            type: "https://httpstatuses.io/503");
        return problem.ExecuteAsync(context);
    }
}
