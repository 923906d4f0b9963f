using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Hosting.Security;

/// <summary>
/// CSRF protection for the office. Every state-changing request to an office endpoint that is not
/// carrying the office key header — that is, every request that relies on the office's cookie —
/// and every endpoint marked <see cref="RequireFormToken"/> (the login form) must present the
/// antiforgery token of the page it came from (hidden field <see cref="FieldName"/>, or header
/// <see cref="HeaderName"/> for scripts), matched against its HttpOnly, SameSite=Strict cookie.
/// Requests with <c>X-Office-Key</c> are exempt: another site cannot make a browser send a header.
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
        if (!NeedsToken(context))
        {
            await next(context);
            return;
        }

        var request = context.Request;
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

    private static bool NeedsToken(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            return false;
        }

        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            return false;
        }

        if (endpoint.Metadata.GetMetadata<FormTokenRequired>() is not null)
        {
            return true;
        }

        var office = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == OfficeAuthentication.Policy);
        return office && !context.Request.Headers.ContainsKey(OfficeAuthentication.HeaderName);
    }

    private static Task Refuse(HttpContext context, int status, string code, string message)
    {
        IResult result = Representations.WantsPage(context.Request, byDefault: false)
            ? PageResults.Render<MessagePage, Message>(new Message("Không gửi được biểu mẫu", message, new Link("/office", "Về trang công văn", AsButton: true)), status)
            : Problems.Problem(status, code, message);
        return result.ExecuteAsync(context);
    }

    private sealed class FormTokenRequired;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a state-changing office request to {Path} without a valid form token")]
    private static partial void LogRefused(ILogger logger, PathString path);
}
