using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Functions.Hosting.Http;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Pages;

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
    public const string Title = "Đăng nhập văn phòng";

    public static IServiceCollection AddOfficeLogin(this IServiceCollection services) => services.AddSingleton<LoginThrottle>();

    public static IEndpointRouteBuilder MapOfficeLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/office/login", (HttpContext context, string? returnUrl) => Form(context, returnUrl, null, StatusCodes.Status200OK))
            .WithName("OfficeLogin").ExcludeFromDescription();
        app.MapPost("/office/login", SignInAsync).WithName("OfficeLoginPost").RequireFormToken().ExcludeFromDescription();
        app.MapPost("/office/logout", (Delegate)SignOutAsync).WithName("OfficeLogout").RequireAuthorization(OfficeAuthentication.Policy).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IOptionsMonitor<OfficeOptions> office, LoginThrottle throttle)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form["returnUrl"].ToString();
        if (!throttle.MayTry())
        {
            return Form(context, returnUrl, "Có quá nhiều lần nhập sai mã. Xin chờ một phút rồi thử lại.", StatusCodes.Status429TooManyRequests);
        }

        if (!OfficeAuthentication.IsOfficeKey(office.CurrentValue.ApiKey, form["key"].ToString().Trim()))
        {
            throttle.Failed();
            return Form(context, returnUrl, "Mã truy cập không đúng. Xin kiểm tra lại (phân biệt chữ hoa, chữ thường).", StatusCodes.Status401Unauthorized);
        }

        await context.SignInAsync(OfficeAuthentication.CookieScheme, OfficeAuthentication.OfficePrincipal(OfficeAuthentication.CookieScheme));
        return new SeeOther(LocalReturnUrl(returnUrl));
    }

    private static async Task<IResult> SignOutAsync(HttpContext context)
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

    private static IResult Form(HttpContext context, string? returnUrl, string? error, int status)
    {
        var signedOut = context.Request.Query.ContainsKey("da-dang-xuat");
        return PageLayout.Page(Title, Html.Of($"""
            <section>
            <h1>{Title}</h1>
            {Html.When(signedOut && error is null, Html.Of($"<p class=\"notice\" role=\"status\">Đã đăng xuất.</p>"))}
            {Html.When(error is not null, Html.Of($"<p class=\"errors\" role=\"alert\">{error}</p>"))}
            <form method="post" action="/office/login">
            {OfficeForms.Field(context)}
            <input type="hidden" name="returnUrl" value="{LocalReturnUrl(returnUrl)}">
            <label for="key">Mã truy cập của văn phòng</label>
            <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
            <button type="submit">Đăng nhập</button>
            </form>
            <p class="muted">Mã do quản trị hệ thống cấp (cấu hình <code>Office__ApiKey</code>). Phiên đăng nhập kéo dài 12 giờ kể từ lần thao tác cuối.</p>
            </section>
            """), status);
    }
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
