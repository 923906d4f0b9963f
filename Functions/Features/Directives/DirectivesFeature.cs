using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Accounts;
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
/// (GetDirective: per task and unit, where it stands now and its escalation ladder). Registering is
/// the office's (văn phòng); the standing committee reads. A registration is in the audit trail.
/// </summary>
public static class DirectivesFeature
{
    public const long MaxDirectiveBody = 1024 * 1024;

    public static IServiceCollection AddDirectives(this IServiceCollection services) =>
        services.AddTable(TableDirectiveStore.TableName)
            .AddTable(TableRegistrationClaims.TableName)
            .AddSingleton<IRegistrationClaims, TableRegistrationClaims>()
            .AddSingleton<RegistrationDesk>()
            .AddUnitLinks()
            .AddSingleton<TableDirectiveStore>()
            .AddSingleton<IDirectiveStore>(sp => new WorkingDayDeadlines(sp.GetRequiredService<TableDirectiveStore>(), sp.GetRequiredService<ICalendarSource>()))
            .AddSingleton<ICalendarChangeListener>(sp => sp.GetRequiredService<DirectiveRegistry>())
            .AddSingleton<IDirectiveEditStore>(sp => sp.GetRequiredService<TableDirectiveStore>())
            .AddDirectiveEditing()
            .AddSingleton(sp => new DirectiveRegistry(
                sp.GetRequiredService<IDirectiveStore>(),
                sp.GetRequiredService<ISubmissionStore>(),
                sp.GetRequiredService<Domain.Units.UnitRegistry>(),
                sp.GetRequiredService<Domain.Links.UnitLinkSigner>(),
                sp.GetRequiredService<IEscalationStore>(),
                sp.GetRequiredService<DueRule>(),
                sp.GetRequiredService<Domain.Progress.ProgressProjector>(),
                sp.GetRequiredService<ICalendarSource>(),
                sp.GetRequiredService<TimeProvider>())
            {
                LinkLifetime = sp.GetRequiredService<IOptions<UnitLinkOptions>>().Value.LifetimeAfterLastDeadline,
                BaseUrl = sp.GetRequiredService<IOptions<UnitLinkOptions>>().Value.BaseUrl?.ToString() ?? "http://localhost:7071",
                Templates = sp.GetService<Domain.Statistics.ReportTemplates>(),
                Listener = sp.GetService<IRegistrationListener>(),
            });

    public static IEndpointRouteBuilder MapDirectives(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/api/directives").WithTags("Directives");
        office.MapPost("/", RegisterAsync).WithName("RegisterDirective").RequireOfficeRole(OfficeRole.VanPhong).WithBody<RegisterDirectiveRequest>(MaxDirectiveBody).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        office.MapGet("/", ListAsync).WithName("ListDirectives").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        app.MapDirectiveEditing();
        office.MapGet("/{id}", GetAsync).WithName("GetDirective").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The header a replayed answer carries: the directive had been registered whole by an earlier request with the same <c>Idempotency-Key</c>.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>
    /// Registers a directive: 201 with it. With an <c>Idempotency-Key</c> header, the same key and the
    /// same body again answer the same directive — 200 with the same body and <c>Idempotent-Replayed:
    /// true</c> once it was registered whole, 201 when this request finished what an earlier one left
    /// — and create nothing new; the same key with another body is 409 <c>idempotency-key-reused</c>.
    /// A number already used that year is not refused: the answer says so (<c>warnings</c> with code
    /// <c>duplicate-number</c>, and <c>sameNumber</c>).
    /// </summary>
    private static async Task<Results<Created<RegisteredDirective>, Ok<RegisteredDirective>, ApiProblem>> RegisterAsync(
        Body<RegisterDirectiveRequest> body, HttpRequest request, ClaimsPrincipal user, RegistrationDesk desk, DirectiveRegistry registry, IDirectiveStateStore states, IOptions<UnitLinkOptions> links, CancellationToken cancellationToken)
    {
        var actor = user.ActorOf();
        IdempotencyKey? key = null;
        if (request.Headers.TryGetValue(IdempotencyKey.Field, out var header))
        {
            var parsed = IdempotencyKey.Parse(header.Count == 1 ? header[0] : null, actor);
            if (!parsed.IsSuccess)
            {
                return Problems.For(parsed.Error!);
            }

            key = parsed.Value;
        }

        var registered = await desk.RegisterAsync(body.Value.ToInput(), actor, key, cancellationToken);
        if (!registered.IsSuccess)
        {
            return Problems.For(registered.Error!);
        }

        var (r, same) = (registered.Value.Registered, registered.Value.SameNumber);
        var closed = same.Count > 0 ? await states.ClosuresAsync(cancellationToken) : new Dictionary<DirectiveId, DirectiveClosure>();
        var d = r.Directive;
        var response = new RegisteredDirective(
            d.Id.Value,
            d.Number,
            WireFormat.Date(d.IssuedOn),
            d.Issuer,
            d.Subject,
            d.Tasks.Select(t => RegisteredTask.Of(t, d.RegisteredAt, registry.Forecast(t, d.RegisteredAt, r.Calendar), r.Calendar)).ToList(),
            r.Links.Select(l => new UnitLinkResponse(l.UnitId.Value, UnitLinks.UnitUrl(request, links.Value, l.Token))).ToList(),
            [
                .. same.Count > 0 ? [new WarningResponse(null, "duplicate-number", DirectiveNumbers.Warning(d.Number, same))] : Array.Empty<WarningResponse>(),
                .. r.Warnings.Select(w => new WarningResponse(w.Task.Value, w.Code, w.Message)),
            ])
        {
            SameNumber = same.Select(o => DirectiveSummary.Of(o, closed.GetValueOrDefault(o.Id))).ToList(),
        };
        if (registered.Value.Replayed)
        {
            request.HttpContext.Response.Headers[ReplayedHeader] = "true";
            return TypedResults.Ok(response);
        }

        return TypedResults.Created($"/api/directives/{d.Id}", response);
    }

    private static async Task<Ok<List<DirectiveSummary>>> ListAsync(IDirectiveStore store, IDirectiveStateStore states, CancellationToken cancellationToken)
    {
        var closed = await states.ClosuresAsync(cancellationToken);
        return TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(d => DirectiveSummary.Of(d, closed.GetValueOrDefault(d.Id))).ToList());
    }

    private static async Task<Results<Ok<DirectiveResponse>, ApiProblem>> GetAsync(string id, HttpResponse response, DirectiveRegistry registry, IEscalationStore escalations, IDirectiveEditStore edits, IDirectiveStateStore states, CancellationToken cancellationToken)
    {
        var view = await registry.ViewAsync(id, cancellationToken);
        if (!view.IsSuccess)
        {
            return Problems.For(view.Error!);
        }

        var d = view.Value.Directive;
        var ladders = (await escalations.LaddersAsync(d.Id, cancellationToken)).ToDictionary(l => l.Key);
        var emails = await escalations.OutboxAsync(d.Id.Value, cancellationToken);
        var byTask = view.Value.Assignments.ToLookup(a => a.Task.Id);
        var changes = await edits.ChangesAsync(d, cancellationToken);
        response.Headers.ETag = DirectiveEditing.ETagOf(d);
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
                t.Deadline?.PassesAt,
                t.Term is { } term ? DeadlineTerm.Of(term, view.Value.Calendar) : null,
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
                        view.Value.Days.Unit,
                        a.Standing.Versions,
                        a.Standing.Latest is { } latest ? new LatestSubmission(latest.Status, latest.Note, latest.At, latest.Late) : null,
                        EscalationHistory.Of(ladder, emails.Where(e => e.Carries(key))).Select(EscalationStepResponse.Of).ToList())
                    {
                        Role = t.RoleOf(a.UnitId),
                    };
                }).ToList())
            {
                Cancelled = t.Cancelled is { } cancelled ? new CancellationResponse(cancelled.At, cancelled.Reason) : null,
            }).ToList())
        {
            ETag = DirectiveEditing.ETagOf(d),
            Changes = changes.Select(ChangeResponse.Of).ToList(),
            Closed = ClosureResponse.Of(await states.ClosureAsync(d.Id, cancellationToken)),
        });
    }
}
