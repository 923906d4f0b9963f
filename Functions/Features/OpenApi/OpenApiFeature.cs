using ServerlessWorkflow.Functions.Hosting.Security;

namespace ServerlessWorkflow.Functions.Features.OpenApi;

/// <summary><c>GET /api/openapi.json</c> (function <c>OpenApi</c>): the OpenAPI document of the JSON API.</summary>
public static class OpenApiFeature
{
    public const string Route = "/api/openapi.json";

    public static IServiceCollection AddOpenApiFeature(this IServiceCollection services) =>
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Theo dõi thực hiện công văn — API";
            document.Info.Description = "Follow-up of Party directives: units, directives, submissions, statistics and data-error reports.";
            return Task.CompletedTask;
        }));

    public static IEndpointRouteBuilder MapOpenApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(Route).AsPublic();
        return app;
    }
}
