using Microsoft.AspNetCore.Mvc;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Shared.Http;

/// <summary>
/// What the framework itself answers — an unknown address (404), a wrong method (405) or content
/// type (415), a body Kestrel refused (413), storage that cannot be reached (503), an unexpected
/// failure (500) — in the same form as the API's own problems: a Vietnamese title and a <c>code</c>.
/// People (a browser that asks for HTML) get it as a page instead of JSON.
/// </summary>
public static class FrameworkProblems
{
    public static IServiceCollection AddFrameworkProblems(this IServiceCollection services)
    {
        services.AddSingleton<IProblemDetailsWriter, PageProblemWriter>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context => Describe(context.ProblemDetails));
        return services;
    }

    /// <summary>Fills in the title and code a problem of the framework lacks (the API's own problems have both).</summary>
    private static void Describe(ProblemDetails details)
    {
        if (details.Extensions.ContainsKey("code"))
        {
            return;
        }

        var (code, title) = details.Status switch
        {
            StatusCodes.Status400BadRequest => ("bad-request", "Yêu cầu không hợp lệ."),
            StatusCodes.Status401Unauthorized => ("unauthorized", "Cần đăng nhập hoặc mã truy cập của văn phòng."),
            StatusCodes.Status403Forbidden => ("forbidden", "Không có quyền thực hiện việc này."),
            StatusCodes.Status404NotFound => ("not-found", "Không tìm thấy trang hoặc dữ liệu được yêu cầu."),
            StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", "Địa chỉ này không nhận yêu cầu theo cách đã gửi."),
            StatusCodes.Status413PayloadTooLarge => ("too-large", "Nội dung gửi lên vượt quá giới hạn cho phép."),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported-media-type", "Kiểu nội dung gửi lên không được nhận ở địa chỉ này."),
            StatusCodes.Status503ServiceUnavailable => ("unavailable", "Hệ thống lưu trữ tạm thời không phản hồi. Xin thử lại sau ít phút."),
            >= 500 => ("internal-error", "Có lỗi ngoài dự kiến; lỗi đã được ghi lại. Xin thử lại sau."),
            _ => ("error", "Không thực hiện được yêu cầu."),
        };
        details.Title = title;
        Problems.WithCode(details, code);
    }

    /// <summary>A problem for a person: the Vietnamese page of the problem, with the way back.</summary>
    private sealed class PageProblemWriter : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) =>
            !context.HttpContext.Response.HasStarted && Representations.WantsPage(context.HttpContext.Request, byDefault: false);

        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            var details = context.ProblemDetails;
            Describe(details);
            var office = context.HttpContext.Request.Path.StartsWithSegments("/office");
            var message = new Message(
                details.Title ?? "Không thực hiện được yêu cầu.",
                Back: office ? new Link("/office", "Về danh sách công văn") : null,
                Office: office);
            return new(PageResults.Render<MessagePage, Message>(message, context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
        }
    }
}
