using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Functions.Hosting;

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
        builder.Services.AddSettings<SendGridOptions>(SendGridOptions.Section, (o, check) =>
        {
            check.That(o.Host is { IsAbsoluteUri: true, Scheme: "https" or "http" }, nameof(SendGridOptions.Host), "must be an absolute http(s) URL.");
            check.That(o.Timeout > TimeSpan.Zero, nameof(SendGridOptions.Timeout), "must be a positive duration.");
            check.That(o.DefaultThrottleDelay > TimeSpan.Zero && o.MaxThrottleDelay >= o.DefaultThrottleDelay, nameof(SendGridOptions.DefaultThrottleDelay), "must be positive and at most SendGrid__MaxThrottleDelay.");
        });
        builder.Services.AddSettings<EmailOptions>(EmailOptions.Section, (o, check) =>
        {
            check.That(string.IsNullOrWhiteSpace(o.From) || o.FromAddress is not null, nameof(EmailOptions.From), "is not an email address (write a@b or Name <a@b>).");
            check.That(string.IsNullOrWhiteSpace(o.Office) || o.OfficeAddress is not null, nameof(EmailOptions.Office), "is not an email address (write a@b or Name <a@b>).");
        });

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
