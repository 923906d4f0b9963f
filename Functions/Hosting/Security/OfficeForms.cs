using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Hosting.Security;

/// <summary>
/// CSRF protection for the office, in two parts.
/// <list type="number">
/// <item>Where it came from: a state-changing request to an office endpoint (or the sign-in form)
/// whose <c>Origin</c> — or, without one, <c>Referer</c> — names another site is refused (403,
/// nothing done). <c>Origin: null</c> (a sandboxed frame, a page that hides its address) names no
/// site of ours and is refused too; the office's own pages send their origin (their referrer policy
/// is <c>same-origin</c>). Programs that send neither header are judged by the next part.</item>
/// <item>The token: every state-changing request to an office endpoint that is not carrying the
/// office key header — that is, every request that relies on the office's cookie — and every
/// endpoint marked <see cref="RequireFormToken"/> (the sign-in forms) must present the antiforgery
/// token of the page it came from (hidden field <see cref="FieldName"/>, or header
/// <see cref="HeaderName"/> for scripts), matched against its HttpOnly, SameSite=Strict cookie.
/// Requests with <c>X-Office-Key</c> are exempt: another site cannot make a browser send a header.</item>
/// </list>
/// The token check reads as much form as the endpoint takes (its <see cref="RequestBodyLimit"/>: a
/// template or a unit's file of a few MB), else at most <see cref="MaxFormBytes"/>; the form stays
/// cached for the endpoint.
/// </summary>
public static partial class OfficeForms
{
    public const string FieldName = "csrf";
    public const string HeaderName = "X-CSRF-Token";
    public const string CookieName = "office-csrf";
    public const long MaxFormBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddOfficeForms(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAntiforgery(o =>
        {
            o.FormFieldName = FieldName;
            o.HeaderName = HeaderName;
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    /// <summary>Marks an endpoint whose form must carry a token even though anyone may post it (the login form: no login CSRF).</summary>
    public static TBuilder RequireFormToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FormTokenRequired()).DisableAntiforgery();

    /// <summary>Runs after authorization, so the token is checked against the user the cookie names.</summary>
    public static IApplicationBuilder UseOfficeForms(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var scope = Scope(context);
        if (scope == Protection.None)
        {
            await next(context);
            return;
        }

        var request = context.Request;
        if (ForeignSite(request, context.RequestServices.GetRequiredService<IConfiguration>()) is { } foreign)
        {
            LogForeign(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OfficeForms)), request.Path, foreign);
            await Refuse(context, StatusCodes.Status403Forbidden, "cross-site", "Yêu cầu này được gửi từ một trang web khác, không phải từ trang của hệ thống, nên không được thực hiện.");
            return;
        }

        if (scope == Protection.OriginOnly)
        {
            await next(context);
            return;
        }

        var limit = context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>()?.MaxBytes ?? MaxFormBytes;
        if (request.ContentLength > limit)
        {
            var tooLarge = BodyRefusals.TooLarge(limit);
            await Refuse(context, tooLarge.Status, tooLarge.Code, tooLarge.Message);
            return;
        }

        try
        {
            if (request.HasFormContentType)
            {
                await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit, ValueLengthLimit = (int)MaxFormBytes, KeyLengthLimit = 256, ValueCountLimit = 1024 }, context.RequestAborted);
            }
        }
        catch (InvalidDataException)
        {
            await Refuse(context, StatusCodes.Status413PayloadTooLarge, "too-large", "Nội dung gửi lên vượt quá giới hạn cho phép.");
            return;
        }

        if (!await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            LogRefused(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OfficeForms)), request.Path);
            await Refuse(context, StatusCodes.Status400BadRequest, "form-token", "Biểu mẫu đã hết hạn hoặc không được gửi từ trang của hệ thống. Xin tải lại trang rồi thử lại.");
            return;
        }

        await next(context);
    });

    private enum Protection
    {
        None,
        OriginOnly,
        OriginAndToken,
    }

    /// <summary>What a request must show: nothing (a read, or not the office's), where it came from (a program's key), or that and the token (a browser's cookie, the sign-in forms).</summary>
    private static Protection Scope(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            return Protection.None;
        }

        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            return Protection.None;
        }

        if (endpoint.Metadata.GetMetadata<FormTokenRequired>() is not null)
        {
            return Protection.OriginAndToken;
        }

        var office = endpoint.Metadata.GetMetadata<OfficeAccess>() is not null
            || endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == OfficeAuthentication.Policy);
        return !office ? Protection.None
            : context.Request.Headers.ContainsKey(OfficeAuthentication.HeaderName) ? Protection.OriginOnly
            : Protection.OriginAndToken;
    }

    /// <summary>The site a request says it came from when that is not this one (by <c>Origin</c>, else <c>Referer</c>), or null. This one: the request's own host, or <c>Links__BaseUrl</c>'s.</summary>
    private static string? ForeignSite(HttpRequest request, IConfiguration configuration)
    {
        var origin = request.Headers.Origin.ToString();
        var source = origin.Length > 0 ? origin : request.Headers.Referer.ToString();
        if (source.Length == 0)
        {
            return null;
        }

        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "null";
        }

        var own = request.Host.Value;
        var configured = Uri.TryCreate(configuration["Links:BaseUrl"], UriKind.Absolute, out var baseUrl) ? baseUrl.Authority : null;
        return string.Equals(uri.Authority, own, StringComparison.OrdinalIgnoreCase) || string.Equals(uri.Authority, configured, StringComparison.OrdinalIgnoreCase)
            ? null
            : uri.Authority;
    }

    private static Task Refuse(HttpContext context, int status, string code, string message)
    {
        IResult result = Representations.WantsPage(context.Request, byDefault: false)
            ? PageResults.Render<MessagePage, Message>(new Message("Không gửi được biểu mẫu", message, new Link("/office", "Về trang công văn", AsButton: true)), status)
            : Problems.Problem(status, code, message);
        return result.ExecuteAsync(context);
    }

    private sealed class FormTokenRequired;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a state-changing office request to {Path} sent from another site ({Site})")]
    private static partial void LogForeign(ILogger logger, PathString path, string site);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a state-changing office request to {Path} without a valid form token")]
    private static partial void LogRefused(ILogger logger, PathString path);
}
