using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Functions.Hosting.Security.Accounts;

namespace ServerlessWorkflow.Functions.Hosting.Security;

/// <summary>
/// Who is the office. People sign in with their own account (<see cref="AccountDesk"/>: a password,
/// then a TOTP code when they have turned it on) and carry an HttpOnly, SameSite=Strict cookie; the
/// cookie names the account and its stamp, and every request re-reads the account, so disabling an
/// account, resetting it or changing its roles takes effect at once. Programs send their own key in
/// <c>X-Office-Key</c> (<see cref="ProgramKeyRing"/>; <c>Office__ApiKey</c> stays valid as the first).
/// Either way the principal carries the roles (<see cref="OfficeRole"/>) as role claims; endpoints
/// declare the roles they need with <see cref="RequireOfficeRole{TBuilder}"/>.
/// </summary>
public static partial class OfficeAuthentication
{
    /// <summary>Any office principal (a signed-in account or a program's key), whatever its roles. Endpoints declare roles with <see cref="RequireOfficeRole{TBuilder}"/> instead; a test lists every office endpoint that declares none.</summary>
    public const string Policy = "Office";
    public const string HeaderScheme = "OfficeKey";
    public const string CookieScheme = "OfficeCookie";
    public const string HeaderName = "X-Office-Key";
    public const string CookieName = "office";

    /// <summary>Claim types of an office principal besides its name and roles.</summary>
    public const string KindClaim = "office-kind";
    public const string DisplayNameClaim = "office-display-name";
    public const string StampClaim = "office-stamp";
    public const string MustChangePasswordClaim = "office-must-change-password";

    public static IHostApplicationBuilder AddOfficeAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettings<OfficeOptions>(OfficeOptions.Section, OfficeOptions.Validate);
        builder.Services.AddOfficeAccounts();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, OfficeForbidden>();
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
                // Programs get status codes, not redirects to a login page; the forbidden page is OfficeForbidden's.
                o.Events.OnRedirectToLogin = context => Challenge(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(HeaderScheme, CookieScheme).RequireAuthenticatedUser().RequireClaim(KindClaim));
        return builder;
    }

    /// <summary>
    /// The one way to say who may use an endpoint: a signed-in account or program key holding at
    /// least one of <paramref name="roles"/>. Others get 403 — a Vietnamese page naming the roles, or
    /// problem+json — and nobody signed in gets 401 (a browser: the sign-in page).
    /// </summary>
    public static TBuilder RequireOfficeRole<TBuilder>(this TBuilder builder, params OfficeRole[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        if (roles.Length == 0)
        {
            throw new ArgumentException("Name at least one role; RequireOfficeAccount is for pages every account may open.", nameof(roles));
        }

        // 401 and 403 are answered for every such endpoint: the OpenAPI document says so.
        return builder.WithMetadata(
                new OfficeAccess(roles),
                new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]),
                new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]))
            .RequireAuthorization(new AuthorizationPolicyBuilder(HeaderScheme, CookieScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(KindClaim)
            .RequireRole(roles.Select(OfficeRoles.Code))
            .Build());
    }

    /// <summary>Any signed-in account, whatever its roles: the person's own things (signing out, their password, their second factor).</summary>
    public static TBuilder RequireOfficeAccount<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OfficeAccess([])).RequireAuthorization(new AuthorizationPolicyBuilder(CookieScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(KindClaim, nameof(ActorKind.Account))
            .Build());

    /// <summary>The principal of a signed-in account; one that must change its password holds no role until it has.</summary>
    public static ClaimsPrincipal AccountPrincipal(OfficeAccount account, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.Name.Value),
            new(DisplayNameClaim, account.DisplayName),
            new(KindClaim, nameof(ActorKind.Account)),
            new(StampClaim, account.Stamp),
        };
        if (account.MustChangePassword)
        {
            claims.Add(new Claim(MustChangePasswordClaim, "true"));
        }
        else
        {
            claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, OfficeRoles.Code(r))));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static ClaimsPrincipal KeyPrincipal(ProgramKey key, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, "key:" + key.Id),
                new Claim(DisplayNameClaim, key.Name),
                new Claim(KindClaim, nameof(ActorKind.ProgramKey)),
                .. key.Roles.Select(r => new Claim(ClaimTypes.Role, OfficeRoles.Code(r))),
            ],
            scheme));

    /// <summary>The office roles the principal holds (none for anyone else).</summary>
    public static IReadOnlyList<OfficeRole> OfficeRolesOf(this ClaimsPrincipal user) =>
        OfficeRoles.All.Where(r => user.IsInRole(OfficeRoles.Code(r))).ToList();

    /// <summary>The account a signed-in person uses, or null for a program or nobody.</summary>
    public static AccountName? AccountOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(KindClaim) == nameof(ActorKind.Account) && AccountName.Parse(user.Identity?.Name) is { IsSuccess: true } name ? name.Value : null;

    public static bool MustChangePassword(this ClaimsPrincipal user) => user.HasClaim(MustChangePasswordClaim, "true");

    /// <summary>Who the principal is, for the audit trail.</summary>
    public static AuditActor ActorOf(this ClaimsPrincipal user) =>
        Enum.TryParse<ActorKind>(user.FindFirstValue(KindClaim), out var kind) && user.Identity?.Name is { } id
            ? new AuditActor(kind, kind == ActorKind.ProgramKey ? id[4..] : id, user.FindFirstValue(DisplayNameClaim) ?? id)
            : AuditActor.Public;

    /// <summary>The first office page the roles may open: the directives for the office and the standing committee, the reports for the Party Building Board, the accounts for administrators.</summary>
    public static string HomeOf(IReadOnlyList<OfficeRole> roles) =>
        roles.Contains(OfficeRole.VanPhong) || roles.Contains(OfficeRole.ThuongTruc) ? "/office"
        : roles.Contains(OfficeRole.BanXayDungDang) ? "/office/error-reports"
        : roles.Contains(OfficeRole.QuanTri) ? "/office/accounts"
        : "/office/account";

    /// <summary>Each request of a session re-reads its account: a disabled, reset or missing account ends the session; the roles are those stored now.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var desk = context.HttpContext.RequestServices.GetRequiredService<AccountDesk>();
        var principal = context.Principal;
        var account = await desk.SessionAccountAsync(principal?.Identity?.Name, principal?.FindFirstValue(StampClaim), context.HttpContext.RequestAborted);
        if (account is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        context.ReplacePrincipal(AccountPrincipal(account, CookieScheme));
    }

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

    internal static bool IsBrowserNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private sealed partial class OfficeKeyHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        IOptionsMonitor<OfficeOptions> office,
        ProgramKeyRing keys,
        ILoggerFactory logger,
        UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(HeaderName, out var presented))
            {
                return AuthenticateResult.NoResult();
            }

            var key = await keys.AuthenticateAsync(presented.ToString().Trim(), office.CurrentValue.ApiKey, Context.RequestAborted);
            if (key is null)
            {
                LogRefused(Logger);
                return AuthenticateResult.Fail("Unknown or revoked office key.");
            }

            return AuthenticateResult.Success(new AuthenticationTicket(KeyPrincipal(key, Scheme.Name), Scheme.Name));
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "An unknown or revoked office key was presented")]
        private static partial void LogRefused(ILogger logger);
    }
}

/// <summary>What an endpoint declared about who may use it: one of <see cref="Roles"/>, or (none named) any signed-in account.</summary>
public sealed record OfficeAccess(IReadOnlyList<OfficeRole> Roles);

/// <summary>
/// Section <c>Office</c>: the configured program key (<c>ApiKey</c>), and the first administrator
/// (<c>FirstAdministrator</c> and <c>FirstAdministratorPassword</c>: created at the first sign-in with
/// that name; from then on the stored account counts).
/// </summary>
public sealed class OfficeOptions
{
    public const string Section = "Office";

    /// <summary>A key shorter than this is refused at start: it could be guessed.</summary>
    public const int MinimumKeyLength = 16;

    public string? ApiKey { get; set; }

    public string? FirstAdministrator { get; set; }

    public string? FirstAdministratorPassword { get; set; }

    public static void Validate(OfficeOptions o, SettingsCheck check)
    {
        check.That(string.IsNullOrEmpty(o.ApiKey) || o.ApiKey.Trim().Length >= MinimumKeyLength, nameof(ApiKey), $"must be at least {MinimumKeyLength} characters.");
        var named = !string.IsNullOrEmpty(o.FirstAdministrator);
        check.That(!named || AccountName.Parse(o.FirstAdministrator).IsSuccess, nameof(FirstAdministrator), "must be 3-32 lowercase letters, digits, '.', '-' or '_', starting with a letter.");
        check.That(named == !string.IsNullOrEmpty(o.FirstAdministratorPassword), named ? nameof(FirstAdministratorPassword) : nameof(FirstAdministrator), "must be set together with " + (named ? nameof(FirstAdministrator) : nameof(FirstAdministratorPassword)) + ".");
        check.That(string.IsNullOrEmpty(o.FirstAdministratorPassword) || o.FirstAdministratorPassword.Length >= Passwords.MinimumLength, nameof(FirstAdministratorPassword), $"must be at least {Passwords.MinimumLength} characters.");
    }
}

/// <summary>Marks an endpoint anyone may call: the health check, the units' pages behind their signed links, the public error-report form, signing in, and the host's trigger invocations (over loopback only).</summary>
public sealed class PublicAccess
{
    public static readonly PublicAccess Instance = new();

    private PublicAccess()
    {
    }
}

public static class PublicAccessExtensions
{
    /// <summary>Declares the endpoint open to anyone. Every endpoint declares either this or its office roles; a test enumerates them all.</summary>
    public static TBuilder AsPublic<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(PublicAccess.Instance);
}
