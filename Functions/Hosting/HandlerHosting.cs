using System.Text.Json.Serialization;
using ServerlessWorkflow.Functions.Hosting.Security;

namespace ServerlessWorkflow.Functions.Hosting;

/// <summary>How the handler runs as a Functions custom handler.</summary>
public static class HandlerHosting
{
    /// <summary>The port when <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> is not set, so local URLs match the host's.</summary>
    public const int DefaultPort = 7071;

    /// <summary>
    /// Listens on <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> (set by the Functions host) or 7071, on the
    /// loopback interface only: the host, or a developer, is the only caller. Errors are
    /// problem+json; time comes from <see cref="TimeProvider"/>.
    /// </summary>
    public static WebApplicationBuilder AddCustomHandlerHosting(this WebApplicationBuilder builder)
    {
        var port = builder.Configuration.GetValue<int?>("FUNCTIONS_CUSTOMHANDLER_PORT") ?? DefaultPort;
        builder.WebHost.UseUrls($"http://localhost:{port}");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddOfficeAuthentication();
        return builder;
    }

    public static WebApplication UseCustomHandlerHosting(this WebApplication app)
    {
        // Kestrel's own refusals (413 for an oversized body, 400 for a malformed one) keep their status.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
