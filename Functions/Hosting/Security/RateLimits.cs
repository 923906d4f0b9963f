using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Hosting.Security;

/// <summary>
/// The public forms are rate-limited per client (its IP address; behind the Functions host, the one
/// <c>X-Forwarded-For</c> names): the error-report form (<see cref="ErrorReports"/>) and signing in
/// (<see cref="SignIn"/>), each a fixed one-minute window. A flood is answered 429 with
/// <c>Retry-After</c> before the endpoint runs, so nothing is stored. Counted per instance: with
/// several instances a client gets at most that many times the limit.
/// </summary>
public static class RateLimits
{
    public const string ErrorReports = "error-reports";
    public const string SignIn = "sign-in";

    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddSettings<RateLimitOptions>(RateLimitOptions.Section, RateLimitOptions.Validate);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(ErrorReports, context => PerClient(context, context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.ErrorReportsPerMinute));
            o.AddPolicy(SignIn, context => PerClient(context, context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.SignInsPerMinute));
            o.OnRejected = (context, _) => RejectAsync(context);
        });
        return services;
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    private static ValueTask RejectAsync(OnRejectedContext rejected)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = $"Có quá nhiều yêu cầu từ máy của đồng chí. Xin chờ {seconds} giây rồi thử lại.";
        IResult result = Representations.WantsPage(context.Request, byDefault: false)
            ? PageResults.Render<MessagePage, Message>(new Message("Xin chờ một lát", message), StatusCodes.Status429TooManyRequests)
            : Problems.Problem(StatusCodes.Status429TooManyRequests, "too-many-requests", message);
        return new ValueTask(result.ExecuteAsync(context));
    }
}

/// <summary>Section <c>RateLimits</c>: per client and minute, error reports filed and sign-in attempts.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public int ErrorReportsPerMinute { get; set; } = 5;

    public int SignInsPerMinute { get; set; } = 10;

    public static void Validate(RateLimitOptions o, SettingsCheck check)
    {
        check.That(o.ErrorReportsPerMinute is >= 1 and <= 10_000, nameof(ErrorReportsPerMinute), $"must be from 1 to 10000 (is {o.ErrorReportsPerMinute}).");
        check.That(o.SignInsPerMinute is >= 1 and <= 10_000, nameof(SignInsPerMinute), $"must be from 1 to 10000 (is {o.SignInsPerMinute}).");
    }
}
