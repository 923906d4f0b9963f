using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Hosting;

/// <summary>How the handler runs as a Functions custom handler.</summary>
public static class HandlerHosting
{
    /// <summary>The port when <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> is not set, so local URLs match the host's.</summary>
    public const int DefaultPort = 7071;

    /// <summary>
    /// Listens on <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> (set by the Functions host) or 7071, on the
    /// loopback interface only: the host, or a developer, is the only caller. JSON in the one wire
    /// format (<see cref="WireFormat"/>); errors are problem+json in Vietnamese (a page for people);
    /// pages are Razor components rendered on the server; time comes from <see cref="TimeProvider"/>.
    /// </summary>
    public static WebApplicationBuilder AddCustomHandlerHosting(this WebApplicationBuilder builder)
    {
        var port = builder.Configuration.GetValue<int?>("FUNCTIONS_CUSTOMHANDLER_PORT") ?? DefaultPort;
        builder.WebHost.UseUrls($"http://localhost:{port}");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.ConfigureHttpJsonOptions(o => WireFormat.ConfigureResponses(o.SerializerOptions));
        builder.Services.AddFrameworkProblems();
        builder.Services.AddRepresentations();
        builder.Services.AddPages();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddOfficeAuthentication();
        builder.AddOfficeForms();
        builder.Services.AddRateLimits();
        builder.Services.AddSharedDataProtectionKeys();
        return builder;
    }

    /// <summary>Storage refused or did not answer (connection refused, a time-out of <see cref="Storage.StorageClientPolicy"/>, 5xx from the service), or a conditional write lost every retry: worth retrying later.</summary>
    public static bool IsStorageUnavailable(Exception exception) =>
        exception switch
        {
            Azure.RequestFailedException { Status: 0 or >= 500 } => true,
            // A conditional write that kept losing to others after every retry: busy, try again later.
            Azure.RequestFailedException { Status: 412 } => true,
            Azure.RequestFailedException => false,
            HttpRequestException => true,
            AggregateException aggregate => aggregate.InnerExceptions.Any(IsStorageUnavailable),
            TaskCanceledException { InnerException: TimeoutException } => true,
            // A storage client's network time-out (StorageClientPolicy): storage accepted the connection and never answered.
            // The caller's own cancellation never gets here (the request was aborted, or the invocation gave up).
            OperationCanceledException => true,
            _ => exception.InnerException is { } inner && IsStorageUnavailable(inner),
        };

    public static WebApplication UseCustomHandlerHosting(this WebApplication app)
    {
        // The host calls the handler over loopback HTTP; the scheme the browser used (https in
        // Azure) arrives as X-Forwarded-Proto, and cookies are marked Secure from it; the client's
        // address arrives as X-Forwarded-For (the public forms are rate-limited by it). Only
        // loopback callers are believed (the defaults of ForwardedHeadersOptions).
        app.UseForwardedHeaders(new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor,
        });
        // Kestrel's own refusals (413 for an oversized body, 400 for a malformed one) keep their status;
        // storage that cannot be reached is 503 with Retry-After, so callers know to come back.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                _ when IsStorageUnavailable(ex) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable && !context.Response.Headers.ContainsKey("Retry-After"))
                {
                    context.Response.Headers.RetryAfter = "5";
                }

                return Task.CompletedTask;
            });
            await next(context);
        });
        app.UseStatusCodePages();
        app.UsePageHeaders();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseOfficeForms();
        return app;
    }
}
