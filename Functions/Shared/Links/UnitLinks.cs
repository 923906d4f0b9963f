using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Links;
using ServerlessWorkflow.Functions.Hosting;

namespace ServerlessWorkflow.Functions.Shared.Links;

/// <summary>
/// Section <c>Links</c>: the key that signs unit links (<c>Links__SigningKey</c>), its version
/// (<c>Links__KeyVersion</c>; raise it with a new key to invalidate every old link), how long links
/// live after a directive's last deadline, and the public base URL for links (else the request's own).
/// </summary>
public sealed class UnitLinkOptions
{
    public const string Section = "Links";

    public string? SigningKey { get; set; }

    public int KeyVersion { get; set; } = 1;

    public TimeSpan LifetimeAfterLastDeadline { get; set; } = UnitLinkSigner.DefaultLifetimeAfterLastDeadline;

    public Uri? BaseUrl { get; set; }

    public static void Validate(UnitLinkOptions o, SettingsCheck check)
    {
        check.That(string.IsNullOrEmpty(o.SigningKey) || Encoding.UTF8.GetByteCount(o.SigningKey) >= LinkKey.MinimumSecretBytes, nameof(SigningKey), $"must be at least {LinkKey.MinimumSecretBytes} bytes.");
        check.That(o.KeyVersion >= 1, nameof(KeyVersion), $"must be 1 or more (is {o.KeyVersion}).");
        check.That(o.LifetimeAfterLastDeadline > TimeSpan.Zero, nameof(LifetimeAfterLastDeadline), "must be a positive duration, e.g. 60.00:00:00.");
        check.That(o.BaseUrl is null || o.BaseUrl is { IsAbsoluteUri: true, Scheme: "https" or "http" }, nameof(BaseUrl), "must be an absolute http(s) URL.");
    }
}

/// <summary>The units' links: signed with the configured key (or, in development without one, a key made at start), and their public address.</summary>
public static partial class UnitLinks
{
    public static IServiceCollection AddUnitLinks(this IServiceCollection services)
    {
        services.AddSettings<UnitLinkOptions>(UnitLinkOptions.Section, UnitLinkOptions.Validate);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<UnitLinkOptions>>().Value;
            var secret = options.SigningKey;
            if (string.IsNullOrWhiteSpace(secret))
            {
                LogEphemeralKey(sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UnitLinks)));
                secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            }

            return new UnitLinkSigner(new LinkKey(options.KeyVersion, Encoding.UTF8.GetBytes(secret)));
        });
        return services;
    }

    /// <summary>The absolute URL of a unit's page for <paramref name="token"/>.</summary>
    public static string UnitUrl(HttpRequest request, UnitLinkOptions options, string token)
    {
        var root = options.BaseUrl?.ToString().TrimEnd('/') ?? $"{request.Scheme}://{request.Host}";
        return $"{root}/u/{token}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Links__SigningKey is not set: unit links are signed with a key made at start-up and stop working when the handler restarts")]
    private static partial void LogEphemeralKey(ILogger logger);
}
