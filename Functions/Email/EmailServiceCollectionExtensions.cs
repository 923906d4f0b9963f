using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ServerlessWorkflow.Functions.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// The email transport: <see cref="IEmailTransport"/> as <see cref="SendGridEmailTransport"/> (one per app),
    /// its options from the sections <c>SendGrid</c> (<c>SendGrid__ApiKey</c>, <c>SendGrid__Host</c>,
    /// <c>SendGrid__Timeout</c>) and <c>Email</c> (<c>Email__From</c>, <c>Email__Office</c>), and the HTTP client
    /// it keeps: connections pooled and renewed every few minutes (DNS changes are seen), no redirects,
    /// the request timeout from <see cref="SendGridOptions.Timeout"/>. A malformed host or address stops the start.
    /// </summary>
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SendGridOptions>()
            .Bind(builder.Configuration.GetSection(SendGridOptions.Section))
            .Validate(o => o.Host is { IsAbsoluteUri: true, Scheme: "https" or "http" }, "SendGrid__Host must be an absolute http(s) URL.")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.DefaultThrottleDelay > TimeSpan.Zero && o.MaxThrottleDelay >= o.DefaultThrottleDelay, "SendGrid timeouts and delays must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<EmailOptions>()
            .Bind(builder.Configuration.GetSection(EmailOptions.Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.From) || o.FromAddress is not null, "Email__From is not an email address.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Office) || o.OfficeAddress is not null, "Email__Office is not an email address.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(SendGridEmailTransport.HttpClientName, (sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<SendGridOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AllowAutoRedirect = false,
            })
            // The transport keeps its one client for the app's life; the pooled lifetime above renews connections instead.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        builder.Services.TryAddSingleton<IEmailTransport, SendGridEmailTransport>();
        return builder;
    }
}
