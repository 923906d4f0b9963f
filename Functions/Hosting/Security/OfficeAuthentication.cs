using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace ServerlessWorkflow.Functions.Hosting.Security;

/// <summary>
/// The office's access: programs send the office key in <c>X-Office-Key</c>; the dashboard signs
/// in once with the same key and then carries an HttpOnly, SameSite=Strict cookie. Endpoints ask
/// for the <see cref="Policy"/>, which accepts either. The key comes from <c>Office__ApiKey</c>;
/// without one, nobody is the office.
/// </summary>
public static partial class OfficeAuthentication
{
    public const string Policy = "Office";
    public const string HeaderScheme = "OfficeKey";
    public const string CookieScheme = "OfficeCookie";
    public const string HeaderName = "X-Office-Key";
    public const string CookieName = "office";

    public static IHostApplicationBuilder AddOfficeAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettings<OfficeOptions>(OfficeOptions.Section, OfficeOptions.Validate);
        builder.Services.AddAuthentication(HeaderScheme)
            .AddScheme<AuthenticationSchemeOptions, OfficeKeyHandler>(HeaderScheme, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request came over HTTPS (in Azure: X-Forwarded-Proto from the host, see HandlerHosting).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.LoginPath = "/office/login";
                o.LogoutPath = "/office/logout";
                // Programs get status codes, not redirects to a login page.
                o.Events.OnRedirectToLogin = context => Challenge(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Challenge(context, StatusCodes.Status403Forbidden);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(HeaderScheme, CookieScheme).RequireAuthenticatedUser().RequireClaim(ClaimTypes.Role, Policy));
        return builder;
    }

    /// <summary>Whether <paramref name="candidate"/> is the office key, compared in constant time.</summary>
    public static bool IsOfficeKey(string? configured, string? candidate)
    {
        if (string.IsNullOrEmpty(configured) || string.IsNullOrEmpty(candidate))
        {
            return false;
        }

        // Hash both sides so the comparison takes the same time whatever the lengths.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)),
            SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));
    }

    public static ClaimsPrincipal OfficePrincipal(string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "office"), new Claim(ClaimTypes.Role, Policy)], scheme));

    private static Task Challenge(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsBrowserNavigation(context.Request))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }

    private static bool IsBrowserNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private sealed partial class OfficeKeyHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        IOptionsMonitor<OfficeOptions> office,
        ILoggerFactory logger,
        UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(HeaderName, out var presented))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            if (string.IsNullOrEmpty(office.CurrentValue.ApiKey))
            {
                LogNoKey(Logger);
                return Task.FromResult(AuthenticateResult.Fail("No office key is configured."));
            }

            return Task.FromResult(IsOfficeKey(office.CurrentValue.ApiKey, presented.ToString())
                ? AuthenticateResult.Success(new AuthenticationTicket(OfficePrincipal(Scheme.Name), Scheme.Name))
                : AuthenticateResult.Fail("Wrong office key."));
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "An office key was presented but Office__ApiKey is not configured")]
        private static partial void LogNoKey(ILogger logger);
    }
}

/// <summary>Section <c>Office</c>.</summary>
public sealed class OfficeOptions
{
    public const string Section = "Office";

    /// <summary>A key shorter than this is refused at start: it could be guessed.</summary>
    public const int MinimumKeyLength = 16;

    public string? ApiKey { get; set; }

    public static void Validate(OfficeOptions o, SettingsCheck check) =>
        check.That(string.IsNullOrEmpty(o.ApiKey) || o.ApiKey.Trim().Length >= MinimumKeyLength, nameof(ApiKey), $"must be at least {MinimumKeyLength} characters.");
}
