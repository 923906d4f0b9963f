using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.OfficeLogin;

/// <summary>
/// The office signs in with its key: <c>GET /office/login</c> (the form), <c>POST /office/login</c>
/// (the key checked in constant time; an HttpOnly, SameSite=Strict cookie for 12 hours, sliding;
/// the form carries a token, so another site cannot sign a browser in), <c>POST /office/logout</c>.
/// Wrong keys are throttled: after <see cref="LoginThrottle.MaxFailuresPerMinute"/> in a minute,
/// every attempt is refused for the rest of that minute.
/// </summary>
public static class OfficeLoginFeature
{
    public const long MaxLoginBody = 16 * 1024;

    public static IServiceCollection AddOfficeLogin(this IServiceCollection services) => services.AddSingleton<LoginThrottle>();

    public static IEndpointRouteBuilder MapOfficeLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/office/login", (string? returnUrl, [FromQuery(Name = "da-dang-xuat")] string? signedOut) =>
            Form(new LoginModel(LocalReturnUrl(returnUrl), null, SignedOut: signedOut is not null), StatusCodes.Status200OK)).WithName("OfficeLogin").AsPage();
        app.MapPost("/office/login", SignInAsync).WithName("OfficeLoginPost").RequireFormToken().WithFormBody<LoginRequest>(MaxLoginBody).AsPage();
        app.MapPost("/office/logout", (Delegate)SignOutAsync).WithName("OfficeLogout").RequireAuthorization(OfficeAuthentication.Policy).AsPage();
        return app;
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> SignInAsync(
        Body<LoginRequest> body, HttpContext context, IOptionsMonitor<OfficeOptions> office, LoginThrottle throttle)
    {
        if (body.Refusal is { } refused)
        {
            return Form(new LoginModel("/office", refused.Message, SignedOut: false), refused.Status);
        }

        var returnUrl = LocalReturnUrl(body.Value.ReturnUrl);
        if (!throttle.MayTry())
        {
            return Form(new LoginModel(returnUrl, "Có quá nhiều lần nhập sai mã. Xin chờ một phút rồi thử lại.", SignedOut: false), StatusCodes.Status429TooManyRequests);
        }

        if (!OfficeAuthentication.IsOfficeKey(office.CurrentValue.ApiKey, body.Value.Key?.Trim()))
        {
            throttle.Failed();
            return Form(new LoginModel(returnUrl, "Mã truy cập không đúng. Xin kiểm tra lại (phân biệt chữ hoa, chữ thường).", SignedOut: false), StatusCodes.Status401Unauthorized);
        }

        await context.SignInAsync(OfficeAuthentication.CookieScheme, OfficeAuthentication.OfficePrincipal(OfficeAuthentication.CookieScheme));
        return new SeeOther(returnUrl);
    }

    private static async Task<SeeOther> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(OfficeAuthentication.CookieScheme);
        return new SeeOther("/office/login?da-dang-xuat=1");
    }

    /// <summary>Only a path of the office's own pages: anything else (another site, <c>//host</c>, a backslash) goes to the dashboard.</summary>
    public static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 and < 512 } url && url.StartsWith("/office", StringComparison.Ordinal)
            && !url.StartsWith("/office/login", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal) && !url.Contains("//", StringComparison.Ordinal)
            && url.All(c => c > ' ' && c < 127)
            ? url
            : "/office";

    private static RazorComponentResult Form(LoginModel model, int status) => PageResults.Render<LoginPage, LoginModel>(model, status);
}

/// <summary>The sign-in form: the office key and where to go after.</summary>
public sealed record LoginRequest(string? Key, string? ReturnUrl) : IRequestBody<LoginRequest>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static LoginRequest FromForm(IFormCollection form) => new(form["key"], form["returnUrl"]);
}

/// <summary>The sign-in page: where to go after, the problem if any, and whether the office has just signed out.</summary>
public sealed record LoginModel(string ReturnUrl, string? Error, bool SignedOut)
{
    public const string Title = "Đăng nhập văn phòng";
}

/// <summary>Counts wrong keys per minute for the whole handler (the key is shared, so per-client counting adds nothing).</summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailuresPerMinute = 10;

    private readonly Lock _gate = new();
    private long _minute;
    private int _failures;

    public bool MayTry()
    {
        lock (_gate)
        {
            Roll();
            return _failures < MaxFailuresPerMinute;
        }
    }

    public void Failed()
    {
        lock (_gate)
        {
            Roll();
            _failures++;
        }
    }

    private void Roll()
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        if (minute != _minute)
        {
            _minute = minute;
            _failures = 0;
        }
    }
}
