using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Functions.Features.Links;
using ServerlessWorkflow.Functions.Hosting.Http;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// The office's directives: <c>POST /api/directives</c> (RegisterDirective: 201 with ids and one
/// link per assigned unit), <c>GET /api/directives</c> (ListDirectives), <c>GET /api/directives/{id}</c>
/// (GetDirective: per task and unit, where it stands now).
/// </summary>
public static class DirectivesFeature
{
    public const long MaxDirectiveBody = 1024 * 1024;

    public static IServiceCollection AddDirectives(this IServiceCollection services, IConfiguration configuration) =>
        services.AddTable(TableDirectiveStore.TableName)
            .AddUnitLinks(configuration)
            .AddSingleton<IDirectiveStore, TableDirectiveStore>()
            .AddSingleton(sp => new DirectiveRegistry(
                sp.GetRequiredService<IDirectiveStore>(),
                sp.GetRequiredService<ISubmissionStore>(),
                sp.GetRequiredService<Domain.Units.UnitRegistry>(),
                sp.GetRequiredService<Domain.Links.UnitLinkSigner>(),
                sp.GetRequiredService<Domain.Escalation.IEscalationStore>(),
                sp.GetRequiredService<Domain.Escalation.EscalationPolicy>(),
                sp.GetRequiredService<TimeProvider>())
            {
                LinkLifetime = sp.GetRequiredService<IOptions<UnitLinkOptions>>().Value.LifetimeAfterLastDeadline,
                BaseUrl = sp.GetRequiredService<IOptions<UnitLinkOptions>>().Value.BaseUrl?.ToString() ?? "http://localhost:7071",
            });

    public static IEndpointRouteBuilder MapDirectives(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/api/directives").RequireAuthorization(OfficeAuthentication.Policy).WithTags("Directives");
        office.MapPost("/", RegisterAsync).WithName("RegisterDirective").DisableAntiforgery();
        office.MapGet("/", ListAsync).WithName("ListDirectives");
        office.MapGet("/{id}", GetAsync).WithName("GetDirective");
        return app;
    }

    /// <summary>A deadline on the wire: the ISO date when it is the end of a Vietnam day, else the instant with +07:00.</summary>
    public static string WireDeadline(Deadline deadline) =>
        deadline.IsEndOfDay
            ? deadline.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : VietnamTime.ToVietnam(deadline.PassesAt).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static async Task<IResult> RegisterAsync(HttpRequest request, DirectiveRegistry registry, IOptions<UnitLinkOptions> links, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Gửi công văn dạng JSON (application/json).");
        }

        if (request.ContentLength > MaxDirectiveBody)
        {
            return Problems.Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "Nội dung gửi lên vượt quá giới hạn 1 MB.");
        }

        DirectiveInput input;
        try
        {
            using var limited = new LimitedStream(request.Body, MaxDirectiveBody, () => new TooLargeException(), leaveOpen: true);
            using var document = await JsonDocument.ParseAsync(limited, new JsonDocumentOptions { MaxDepth = 8 }, cancellationToken);
            input = ReadInput(document.RootElement);
        }
        catch (TooLargeException)
        {
            return Problems.Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "Nội dung gửi lên vượt quá giới hạn 1 MB.");
        }
        catch (JsonException)
        {
            return Problems.Problem(StatusCodes.Status400BadRequest, "unreadable-body", "Nội dung JSON không hợp lệ.");
        }

        var registered = await registry.RegisterAsync(input, cancellationToken);
        if (!registered.IsSuccess)
        {
            return Problems.For(registered.Error!);
        }

        var d = registered.Value.Directive;
        return TypedResults.Created($"/api/directives/{d.Id}", new
        {
            id = d.Id.Value,
            number = d.Number,
            issuedOn = d.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            issuer = d.Issuer,
            subject = d.Subject,
            tasks = d.Tasks.Select(t => new { id = t.Id.Value, title = t.Title, kind = TaskKinds.Wire(t.Kind), deadline = WireDeadline(t.Deadline), deadlineAt = t.Deadline.PassesAt, units = t.Units.Select(u => u.Value) }),
            links = registered.Value.Links.Select(l => new { unitId = l.UnitId.Value, url = LinksFeature.UnitUrl(request, links.Value, l.Token) }),
        });
    }

    private static async Task<IResult> ListAsync(IDirectiveStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(d => new
        {
            id = d.Id.Value,
            number = d.Number,
            issuedOn = d.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            issuer = d.Issuer,
            subject = d.Subject,
            registeredAt = d.RegisteredAt,
            lastDeadline = WireDeadline(d.LastDeadline),
        }));

    private static async Task<IResult> GetAsync(string id, DirectiveRegistry registry, CancellationToken cancellationToken)
    {
        var view = await registry.ViewAsync(id, cancellationToken);
        if (!view.IsSuccess)
        {
            return Problems.For(view.Error!);
        }

        var d = view.Value.Directive;
        var byTask = view.Value.Assignments.ToLookup(a => a.Task.Id);
        return TypedResults.Ok(new
        {
            id = d.Id.Value,
            number = d.Number,
            issuedOn = d.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            issuer = d.Issuer,
            subject = d.Subject,
            registeredAt = d.RegisteredAt,
            summary = Enum.GetValues<AssignmentState>().ToDictionary(AssignmentStanding.Wire, s => view.Value.Assignments.Count(a => a.Standing.State == s)),
            tasks = d.Tasks.Select(t => new
            {
                id = t.Id.Value,
                title = t.Title,
                kind = TaskKinds.Wire(t.Kind),
                deadline = WireDeadline(t.Deadline),
                deadlineAt = t.Deadline.PassesAt,
                units = byTask[t.Id].Select(a => new
                {
                    unitId = a.UnitId.Value,
                    unitName = a.Unit?.Name,
                    state = AssignmentStanding.Wire(a.Standing.State),
                    completedAt = a.Standing.CompletedAt,
                    daysOverdue = a.Standing.DaysOverdue,
                    versions = a.Standing.Versions,
                    latest = a.Standing.Latest is { } latest
                        ? new { status = SubmissionStatuses.Wire(latest.Status), note = latest.Note, at = latest.At, late = latest.Late }
                        : null,
                    escalation = Array.Empty<object>(),
                }),
            }),
        });
    }

    private static DirectiveInput ReadInput(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new DirectiveInput(null, null, null, null, null);
        }

        var tasks = root.TryGetProperty("tasks", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(task => new TaskInput(
                Scalar(task, "title"),
                Scalar(task, "kind"),
                Scalar(task, "deadline"),
                task.ValueKind == JsonValueKind.Object && task.TryGetProperty("units", out var u) && u.ValueKind == JsonValueKind.Array
                    ? u.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList()
                    : null)).ToList()
            : null;
        return new DirectiveInput(Scalar(root, "number"), Scalar(root, "issuedOn"), Scalar(root, "issuer"), Scalar(root, "subject"), tasks);
    }

    /// <summary>A property as text: strings as they are, other scalars as their JSON (so validation names them), objects/arrays as a value no rule accepts.</summary>
    private static string? Scalar(JsonElement obj, string name) =>
        obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value) ? null
        : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => "\u0000",
        };
}

/// <summary>A directive body went past <see cref="DirectivesFeature.MaxDirectiveBody"/> while being read.</summary>
internal sealed class TooLargeException : IOException
{
    public TooLargeException()
        : base("The body is larger than allowed.")
    {
    }

    public TooLargeException(string message)
        : base(message)
    {
    }

    public TooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
