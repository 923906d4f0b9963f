using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ServerlessWorkflow.Functions.Shared.Pages;

/// <summary>
/// Pages as results: a <see cref="PageComponent{TModel}"/> rendered by static server-side rendering
/// (no circuit, no script), with the headers every page carries (<see cref="UsePageHeaders"/>).
/// </summary>
public static class PageResults
{
    /// <summary>Razor components for static rendering; Vietnamese letters stay letters in the HTML (smaller pages), markup characters and control characters are encoded.</summary>
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.Replace(ServiceDescriptor.Singleton(HtmlEncoder.Create(UnicodeRanges.All)));
        return services;
    }

    /// <summary>
    /// The page <typeparamref name="TPage"/> showing <paramref name="model"/>. Handlers declare it as
    /// the non-generic <see cref="RazorComponentResult"/>: the request delegate generator, which
    /// builds every endpoint at compile time (no reflection at the first request of a cold start),
    /// cannot see the component types the Razor generator makes.
    /// </summary>
    public static RazorComponentResult Render<TPage, TModel>(TModel model, int statusCode = StatusCodes.Status200OK)
        where TPage : PageComponent<TModel>
        where TModel : class =>
        new RazorComponentResult<TPage>(new Dictionary<string, object?> { [nameof(PageComponent<TModel>.Model)] = model }) { StatusCode = statusCode };

    /// <summary>Every HTML answer carries the Content-Security-Policy (no script, the inline style by its hash), nosniff, no-store and a referrer only to this site (unit links never leave it; the office's forms show where they come from).</summary>
    public static IApplicationBuilder UsePageHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var response = context.Response;
            if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                response.Headers.ContentSecurityPolicy = PageStyle.ContentSecurityPolicy;
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers.CacheControl = "no-store";
                response.Headers["Referrer-Policy"] = "same-origin";
            }

            return Task.CompletedTask;
        });
        await next(context);
    });
}
