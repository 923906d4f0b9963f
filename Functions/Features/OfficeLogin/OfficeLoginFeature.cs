using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.OfficeLogin;

/// <summary>
/// Staff sign in with their own account: <c>GET /office/login</c> (the form), <c>POST /office/login</c>
/// (name and password; an account with a second factor is then asked for its code),
/// <c>POST /office/login/code</c> (the code from the authenticator app, with a ticket that proves the
/// password step and lasts five minutes), <c>POST /office/logout</c>. The session is an HttpOnly,
/// SameSite=Strict cookie for 12 hours, sliding; the forms carry a token, so another site cannot
/// sign a browser in. Five wrong passwords or codes lock the account for 15 minutes
/// (<see cref="AccountDesk"/>); every client is also rate-limited (<see cref="RateLimits"/>).
/// </summary>
public static class OfficeLoginFeature
{
    public const long MaxLoginBody = 16 * 1024;
    private const string TicketPurpose = "office-sign-in-code";
    private static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(5);

    public static IServiceCollection AddOfficeLogin(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapOfficeLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/office/login", (string? returnUrl, [FromQuery(Name = "da-dang-xuat")] string? signedOut) =>
            Form(new LoginModel(LocalReturnUrl(returnUrl)) { SignedOut = signedOut is not null }, StatusCodes.Status200OK)).WithName("OfficeLogin").AsPublic().AsPage();
        app.MapPost("/office/login", SignInAsync).WithName("OfficeLoginPost").AsPublic().RequireFormToken().RequireRateLimiting(RateLimits.SignIn)
            .WithFormBody<LoginRequest>(MaxLoginBody).AsPage();
        app.MapPost("/office/login/code", CodeAsync).WithName("OfficeLoginCode").AsPublic().RequireFormToken().RequireRateLimiting(RateLimits.SignIn)
            .WithFormBody<LoginCodeRequest>(MaxLoginBody).AsPage();
        app.MapPost("/office/logout", (Delegate)SignOutAsync).WithName("OfficeLogout").RequireOfficeAccount().AsPage();
        return app;
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> SignInAsync(
        Body<LoginRequest> body, HttpContext context, IOptionsMonitor<OfficeOptions> office, AccountDesk accounts, IDataProtectionProvider protection,
        IAuditTrail trail, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return Form(new LoginModel("/office") { Error = refused.Message }, refused.Status);
        }

        var request = body.Value;
        var returnUrl = LocalReturnUrl(request.ReturnUrl);
        var typed = request.Name?.Trim();
        var configured = office.CurrentValue;
        if (configured.FirstAdministrator is { Length: > 0 } first && string.Equals(first, typed, StringComparison.OrdinalIgnoreCase))
        {
            await accounts.EnsureFirstAdministratorAsync(first, configured.FirstAdministratorPassword, cancellationToken);
        }

        var outcome = await accounts.CheckPasswordAsync(typed, request.Password, cancellationToken);
        var model = new LoginModel(returnUrl) { Name = typed };
        switch (outcome.State)
        {
            case SignInState.NeedsCode:
                var ticket = Tickets(protection).Protect($"{outcome.Account!.Name.Value}\n{outcome.Account.Stamp}", TicketLifetime);
                return Form(model with { Ticket = ticket }, StatusCodes.Status200OK);
            case SignInState.SignedIn:
                return await CompleteAsync(context, outcome.Account!, returnUrl, trail, time, cancellationToken);
            default:
                return await RefuseAsync(outcome, model, trail, time, cancellationToken);
        }
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> CodeAsync(
        Body<LoginCodeRequest> body, HttpContext context, AccountDesk accounts, IDataProtectionProvider protection, IAuditTrail trail, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return Form(new LoginModel("/office") { Error = refused.Message }, refused.Status);
        }

        var request = body.Value;
        var returnUrl = LocalReturnUrl(request.ReturnUrl);
        string[]? parts = null;
        try
        {
            parts = Tickets(protection).Unprotect(request.Ticket ?? string.Empty).Split('\n');
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Expired, tampered with or from another deployment: start again.
        }

        if (parts is not [var name, var stamp] || !AccountName.Parse(name).IsSuccess)
        {
            return Form(new LoginModel(returnUrl) { Error = "Phiên đăng nhập đã quá 5 phút. Xin nhập lại tên đăng nhập và mật khẩu." }, StatusCodes.Status400BadRequest);
        }

        var outcome = await accounts.CheckCodeAsync(AccountName.Parse(name).Value, stamp, request.Code, cancellationToken);
        return outcome.State == SignInState.SignedIn
            ? await CompleteAsync(context, outcome.Account!, returnUrl, trail, time, cancellationToken)
            : await RefuseAsync(outcome, new LoginModel(returnUrl) { Name = name, Ticket = outcome.State == SignInState.Refused ? request.Ticket : null }, trail, time, cancellationToken);
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> CompleteAsync(
        HttpContext context, OfficeAccount account, string returnUrl, IAuditTrail trail, TimeProvider time, CancellationToken cancellationToken)
    {
        var principal = OfficeAuthentication.AccountPrincipal(account, OfficeAuthentication.CookieScheme);
        await context.SignInAsync(OfficeAuthentication.CookieScheme, principal);
        await trail.AppendAsync(new AuditEvent { At = time.GetUtcNow(), Actor = principal.ActorOf(), Action = AuditAction.SignedIn, Subject = account.Name.Value }, cancellationToken);
        return new SeeOther(account.MustChangePassword ? "/office/account"
            : returnUrl == "/office" ? OfficeAuthentication.HomeOf(account.Roles)
            : returnUrl);
    }

    private static async Task<RazorComponentResult> RefuseAsync(SignInOutcome outcome, LoginModel model, IAuditTrail trail, TimeProvider time, CancellationToken cancellationToken)
    {
        if (outcome.JustLocked)
        {
            await trail.AppendAsync(
                new AuditEvent
                {
                    At = time.GetUtcNow(),
                    Actor = AuditActor.Public,
                    Action = AuditAction.AccountLockedOut,
                    Subject = outcome.Account!.Name.Value,
                    Summary = $"Nhập sai {AccountDesk.MaxFailures} lần liên tiếp; khóa {AccountDesk.LockoutDuration.TotalMinutes:0} phút.",
                },
                cancellationToken);
        }

        return outcome.State == SignInState.LockedOut
            ? Form(model with { Ticket = null, Error = $"Tài khoản tạm khóa đến {Domain.Time.VietnamTime.FormatDateTime(outcome.LockedUntil!.Value)} do nhập sai nhiều lần. Xin thử lại sau, hoặc nhờ người quản trị mở khóa." }, StatusCodes.Status403Forbidden)
            : Form(model with { Error = model.Ticket is null ? "Tên đăng nhập hoặc mật khẩu không đúng." : "Mã xác thực không đúng hoặc đã được dùng. Xin nhập mã đang hiện trên ứng dụng." }, StatusCodes.Status401Unauthorized);
    }

    private static async Task<SeeOther> SignOutAsync(HttpContext context, IAuditTrail trail, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = context.User.ActorOf();
        await context.SignOutAsync(OfficeAuthentication.CookieScheme);
        await trail.AppendAsync(new AuditEvent { At = time.GetUtcNow(), Actor = actor, Action = AuditAction.SignedOut, Subject = actor.Id }, cancellationToken);
        return new SeeOther("/office/login?da-dang-xuat=1");
    }

    private static ITimeLimitedDataProtector Tickets(IDataProtectionProvider protection) =>
        protection.CreateProtector(TicketPurpose).ToTimeLimitedDataProtector();

    /// <summary>Only a path of the office's own pages: anything else (another site, <c>//host</c>, a backslash) goes to the dashboard.</summary>
    public static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 and < 512 } url && url.StartsWith("/office", StringComparison.Ordinal)
            && !url.StartsWith("/office/login", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal) && !url.Contains("//", StringComparison.Ordinal)
            && url.All(c => c > ' ' && c < 127)
            ? url
            : "/office";

    private static RazorComponentResult Form(LoginModel model, int status) => PageResults.Render<LoginPage, LoginModel>(model, status);
}

/// <summary>The sign-in form: the account's name, its password and where to go after.</summary>
public sealed record LoginRequest(string? Name, string? Password, string? ReturnUrl) : IRequestBody<LoginRequest>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static LoginRequest FromForm(IFormCollection form) => new(form["name"], form["password"], form["returnUrl"]);
}

/// <summary>The second step: the ticket of the password step and the code from the app.</summary>
public sealed record LoginCodeRequest(string? Ticket, string? Code, string? ReturnUrl) : IRequestBody<LoginCodeRequest>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static LoginCodeRequest FromForm(IFormCollection form) => new(form["ticket"], form["code"], form["returnUrl"]);
}

/// <summary>The sign-in page: where to go after, the name typed, the problem if any, whether the person has just signed out, and — at the second step — the ticket of the first.</summary>
public sealed record LoginModel(string ReturnUrl)
{
    public const string Title = "Đăng nhập văn phòng";

    public string? Name { get; init; }

    public string? Error { get; init; }

    public bool SignedOut { get; init; }

    public string? Ticket { get; init; }
}
