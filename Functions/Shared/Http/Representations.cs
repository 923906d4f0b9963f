using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ServerlessWorkflow.Functions.Shared.Http;

/// <summary>Marks an endpoint that answers with HTML pages for people, and says whether it is the default when a caller names neither HTML nor JSON.</summary>
public sealed record PageEndpointMetadata(bool ByDefault);

/// <summary>
/// Where one route serves both people and programs (<c>GET /u/{token}</c>, <c>POST /api/error-reports</c>,
/// a unit's post …), it does so with two endpoints: a page endpoint (post/redirect/get, pages
/// in Vietnamese) and an API endpoint (JSON, problem+json). Routing picks one per request by the
/// <c>Accept</c> header (<see cref="WantsPage"/>), so neither handler looks at headers.
/// </summary>
public static class Representations
{
    /// <summary>Marks the page endpoint of a route; <paramref name="byDefault"/>: also when the caller names neither HTML nor JSON (and sends no form).</summary>
    public static TBuilder AsPage<TBuilder>(this TBuilder builder, bool byDefault = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PageEndpointMetadata(byDefault)).ExcludeFromDescription();

    public static IServiceCollection AddRepresentations(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, RepresentationMatcherPolicy>());
        return services;
    }

    /// <summary>
    /// Whether the caller wants a page: it prefers <c>text/html</c> to JSON by its <c>Accept</c>
    /// q-values; when it names neither (or both equally), a form post wants a page (a browser
    /// posts forms), and otherwise <paramref name="byDefault"/> decides.
    /// </summary>
    public static bool WantsPage(HttpRequest request, bool byDefault)
    {
        double html = -1, json = -1;
        foreach (var accept in request.GetTypedHeaders().Accept)
        {
            var quality = accept.Quality ?? 1;
            if (accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
            {
                html = Math.Max(html, quality);
            }
            else if (accept.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || accept.MediaType.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json, quality);
            }
        }

        return html != json ? html > json : byDefault || request.HasFormContentType;
    }

    /// <summary>Between a route's page endpoint and its API endpoint, keeps the one the caller wants.</summary>
    private sealed class RepresentationMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
    {
        // After the HTTP method and content-type policies: only the candidates left for this request compete.
        public override int Order => 1000;

        public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
            endpoints.Any(e => e.Metadata.GetMetadata<PageEndpointMetadata>() is not null);

        public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
        {
            PageEndpointMetadata? page = null;
            var hasApi = false;
            for (var i = 0; i < candidates.Count; i++)
            {
                if (candidates.IsValidCandidate(i))
                {
                    var metadata = candidates[i].Endpoint.Metadata.GetMetadata<PageEndpointMetadata>();
                    page ??= metadata;
                    hasApi |= metadata is null;
                }
            }

            if (page is null || !hasApi)
            {
                return Task.CompletedTask;
            }

            var wantsPage = WantsPage(httpContext.Request, page.ByDefault);
            for (var i = 0; i < candidates.Count; i++)
            {
                if (candidates.IsValidCandidate(i) && (candidates[i].Endpoint.Metadata.GetMetadata<PageEndpointMetadata>() is not null) != wantsPage)
                {
                    candidates.SetValidity(i, false);
                }
            }

            return Task.CompletedTask;
        }
    }
}
