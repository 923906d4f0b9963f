using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Links;
using ServerlessWorkflow.Functions.Shared.Wire;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// The office's directives: <c>POST /api/directives</c> (RegisterDirective: 201 with ids and one
/// link per assigned unit), <c>GET /api/directives</c> (ListDirectives), <c>GET /api/directives/{id}</c>
/// (GetDirective: per task and unit, where it stands now and its escalation ladder).
/// </summary>
public static class DirectivesFeature
{
    public const long MaxDirectiveBody = 1024 * 1024;

    public static IServiceCollection AddDirectives(this IServiceCollection services) =>
        services.AddTable(TableDirectiveStore.TableName)
            .AddUnitLinks()
            .AddSingleton<IDirectiveStore, TableDirectiveStore>()
            .AddSingleton(sp => new DirectiveRegistry(
                sp.GetRequiredService<IDirectiveStore>(),
                sp.GetRequiredService<ISubmissionStore>(),
                sp.GetRequiredService<Domain.Units.UnitRegistry>(),
                sp.GetRequiredService<Domain.Links.UnitLinkSigner>(),
                sp.GetRequiredService<IEscalationStore>(),
                sp.GetRequiredService<EscalationPolicy>(),
                sp.GetRequiredService<TimeProvider>())
            {
                LinkLifetime = sp.GetRequiredService<IOptions<UnitLinkOptions>>().Value.LifetimeAfterLastDeadline,
                BaseUrl = sp.GetRequiredService<IOptions<UnitLinkOptions>>().Value.BaseUrl?.ToString() ?? "http://localhost:7071",
                Templates = sp.GetService<Domain.Statistics.ReportTemplates>(),
            });

    public static IEndpointRouteBuilder MapDirectives(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/api/directives").RequireAuthorization(OfficeAuthentication.Policy).WithTags("Directives");
        office.MapPost("/", RegisterAsync).WithName("RegisterDirective").WithBody<RegisterDirectiveRequest>(MaxDirectiveBody).ProducesValidationProblem();
        office.MapGet("/", ListAsync).WithName("ListDirectives");
        office.MapGet("/{id}", GetAsync).WithName("GetDirective").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<RegisteredDirective>, ApiProblem>> RegisterAsync(
        Body<RegisterDirectiveRequest> body, HttpRequest request, DirectiveRegistry registry, IOptions<UnitLinkOptions> links, CancellationToken cancellationToken)
    {
        var registered = await registry.RegisterAsync(body.Value.ToInput(), cancellationToken);
        if (!registered.IsSuccess)
        {
            return Problems.For(registered.Error!);
        }

        var d = registered.Value.Directive;
        return TypedResults.Created($"/api/directives/{d.Id}", new RegisteredDirective(
            d.Id.Value,
            d.Number,
            WireFormat.Date(d.IssuedOn),
            d.Issuer,
            d.Subject,
            d.Tasks.Select(RegisteredTask.Of).ToList(),
            registered.Value.Links.Select(l => new UnitLinkResponse(l.UnitId.Value, UnitLinks.UnitUrl(request, links.Value, l.Token))).ToList(),
            registered.Value.Warnings.Select(w => new WarningResponse(w.Task.Value, w.Code, w.Message)).ToList()));
    }

    private static async Task<Ok<List<DirectiveSummary>>> ListAsync(IDirectiveStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(DirectiveSummary.Of).ToList());

    private static async Task<Results<Ok<DirectiveResponse>, ApiProblem>> GetAsync(string id, DirectiveRegistry registry, IEscalationStore escalations, CancellationToken cancellationToken)
    {
        var view = await registry.ViewAsync(id, cancellationToken);
        if (!view.IsSuccess)
        {
            return Problems.For(view.Error!);
        }

        var d = view.Value.Directive;
        var ladders = (await escalations.LaddersAsync(d.Id, cancellationToken)).ToDictionary(l => l.Key);
        var emails = (await escalations.OutboxAsync(d.Id.Value, cancellationToken)).ToLookup(e => (e.TaskId, e.UnitId));
        var byTask = view.Value.Assignments.ToLookup(a => a.Task.Id);
        return TypedResults.Ok(new DirectiveResponse(
            d.Id.Value,
            d.Number,
            WireFormat.Date(d.IssuedOn),
            d.Issuer,
            d.Subject,
            d.RegisteredAt,
            Enum.GetValues<AssignmentState>().ToDictionary(s => s, s => view.Value.Assignments.Count(a => a.Standing.State == s)),
            d.Tasks.Select(t => new DirectiveTaskResponse(
                t.Id.Value,
                t.Title,
                t.Kind,
                WireFormat.Deadline(t.Deadline),
                t.Deadline.PassesAt,
                byTask[t.Id].Select(a =>
                {
                    var key = new AssignmentKey(d.Id, t.Id, a.UnitId);
                    var ladder = ladders.GetValueOrDefault(key) ?? LadderState.Empty(key);
                    return new AssignmentResponse(
                        a.UnitId.Value,
                        a.Unit?.Name,
                        a.Standing.State,
                        a.Standing.CompletedAt,
                        a.Standing.DaysOverdue,
                        a.Standing.Versions,
                        a.Standing.Latest is { } latest ? new LatestSubmission(latest.Status, latest.Note, latest.At, latest.Late) : null,
                        EscalationHistory.Of(ladder, emails[(t.Id.Value, a.UnitId.Value)]).Select(EscalationStepResponse.Of).ToList());
                }).ToList())).ToList()));
    }
}
