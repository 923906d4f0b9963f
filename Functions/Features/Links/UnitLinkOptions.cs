using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Links;

namespace ServerlessWorkflow.Functions.Features.Links;

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
}

public static partial class LinksFeature
{
    public static IServiceCollection AddUnitLinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UnitLinkOptions>(configuration.GetSection(UnitLinkOptions.Section));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<UnitLinkOptions>>().Value;
            var secret = options.SigningKey;
            if (string.IsNullOrWhiteSpace(secret))
            {
                LogEphemeralKey(sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LinksFeature)));
                secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            }

            var bytes = Encoding.UTF8.GetBytes(secret);
            if (bytes.Length < LinkKey.MinimumSecretBytes)
            {
                throw new InvalidOperationException($"Links__SigningKey must be at least {LinkKey.MinimumSecretBytes} bytes.");
            }

            return new UnitLinkSigner(new LinkKey(options.KeyVersion, bytes));
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
