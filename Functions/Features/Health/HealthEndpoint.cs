using ServerlessWorkflow.Functions.Hosting.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServerlessWorkflow.Functions.Shared.Http;

namespace ServerlessWorkflow.Functions.Features.Health;

/// <summary><c>GET /api/health</c> (function <c>Health</c>): 200 <c>{"status":"ok"}</c> when storage answers, else 503 problem+json (with Retry-After).</summary>
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
        app.MapGet(Route, CheckAsync).WithName("Health").AsPublic().WithTags("Health").ProducesProblem(StatusCodes.Status503ServiceUnavailable).DisableHttpMetrics();
        return app;
    }

    private static async Task<Results<Ok<HealthResponse>, ApiProblem>> CheckAsync(HttpResponse response, HealthCheckService health, CancellationToken cancellationToken)
    {
        response.Headers.CacheControl = "no-store";
        var report = await health.CheckHealthAsync(cancellationToken);
        if (report.Status == HealthStatus.Healthy)
        {
            return TypedResults.Ok(new HealthResponse("ok"));
        }

        response.Headers.RetryAfter = "5";
        var problem = Problems.Problem(StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Hệ thống lưu trữ không phản hồi.");
        problem.Value.Detail = report.Entries.Values.Select(e => e.Description).FirstOrDefault(d => d is not null);
        return problem;
    }
}

/// <summary>The handler and its storage answer.</summary>
public sealed record HealthResponse(string Status);
