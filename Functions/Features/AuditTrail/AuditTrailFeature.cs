using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.AuditTrail;

/// <summary>
/// The audit trail, for administrators and the standing committee (quản trị, thường trực):
/// <c>GET /office/audit?cong-van=&amp;don-vi=&amp;nguoi=</c> (OfficeAudit: the latest entries, or a
/// directive's, a unit's or a person's), <c>GET /office/audit/verify</c> (OfficeAuditVerify: each
/// chain walked from its start; the first entry changed, removed or moved), and for programs
/// <c>GET /api/audit</c> (ListAudit, same filters as <c>directiveId</c>, <c>unitId</c>, <c>actor</c>)
/// and <c>GET /api/audit/verify</c> (VerifyAudit).
/// </summary>
public static class AuditTrailFeature
{
    public const int MaxShown = 300;

    public static IEndpointRouteBuilder MapAuditTrail(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("/office/audit").RequireOfficeRole(OfficeRole.QuanTri, OfficeRole.ThuongTruc);
        page.MapGet("/", ShowAsync).WithName("OfficeAudit").AsPage();
        page.MapGet("/verify", async (AuditReader reader, CancellationToken cancellationToken) =>
            PageResults.Render<AuditVerifyPage, AuditVerifyModel>(new AuditVerifyModel(await reader.VerifyAsync(cancellationToken)))).WithName("OfficeAuditVerify").AsPage();

        var api = app.MapGroup("/api/audit").WithTags("Audit").RequireOfficeRole(OfficeRole.QuanTri, OfficeRole.ThuongTruc);
        api.MapGet("/", ListAsync).WithName("ListAudit");
        api.MapGet("/verify", VerifyAsync).WithName("VerifyAudit");
        return app;
    }

    private static async Task<RazorComponentResult> ShowAsync(
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "cong-van")] string? directive,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "don-vi")] string? unit,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "nguoi")] string? person,
        AuditReader reader,
        CancellationToken cancellationToken)
    {
        var filter = new AuditFilter(Clean(directive), Clean(unit), ActorOf(Clean(person)));
        var trail = await reader.TrailAsync(filter, MaxShown, cancellationToken);
        return PageResults.Render<AuditTrailPage, AuditPageModel>(new AuditPageModel(Clean(directive), Clean(unit), Clean(person), trail));
    }

    private static async Task<Ok<AuditListResponse>> ListAsync(string? directiveId, string? unitId, string? actor, AuditReader reader, CancellationToken cancellationToken)
    {
        var trail = await reader.TrailAsync(new AuditFilter(Clean(directiveId), Clean(unitId), ActorOf(Clean(actor))), MaxShown, cancellationToken);
        return TypedResults.Ok(new AuditListResponse(trail.Entries.Select(AuditEntryResponse.Of).ToList(), trail.Unreadable));
    }

    private static async Task<Ok<AuditVerifyResponse>> VerifyAsync(AuditReader reader, CancellationToken cancellationToken)
    {
        var reports = await reader.VerifyAsync(cancellationToken);
        return TypedResults.Ok(new AuditVerifyResponse(
            reports.All(r => r.Intact),
            reports.Select(r => new ChainVerifyResponse(r.Chain, r.Entries, r.Intact, r.FirstBreak is { } b ? new ChainBreakResponse(b.Sequence, b.Kind, b.Message) : null)).ToList()));
    }

    /// <summary>An id as typed: letters, digits and the separators ids use; anything else is no filter.</summary>
    private static string? Clean(string? value)
    {
        var text = value?.Trim();
        return text is { Length: > 0 and <= 64 } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':') ? text : null;
    }

    /// <summary>A person as typed: an account name, a program key's id (<c>key:…</c> or 12 hex digits), or already <c>Kind:id</c>.</summary>
    private static string? ActorOf(string? person) => person switch
    {
        null => null,
        _ when person.Contains(':', StringComparison.Ordinal) && Enum.TryParse<ActorKind>(person.Split(':')[0], out _) => person,
        _ when person.StartsWith("key:", StringComparison.OrdinalIgnoreCase) => TableAuditTrail.ActorIndex(ActorKind.ProgramKey, person[4..].ToLowerInvariant()),
        _ when person.Length == 12 && person.All(char.IsAsciiHexDigit) => TableAuditTrail.ActorIndex(ActorKind.ProgramKey, person.ToLowerInvariant()),
        _ => TableAuditTrail.ActorIndex(ActorKind.Account, person.ToLowerInvariant()),
    };
}

/// <summary>An entry of the trail as programs read it.</summary>
public sealed record AuditEntryResponse(
    string Chain,
    long Sequence,
    DateTimeOffset At,
    ActorKind ActorKind,
    string ActorId,
    string ActorName,
    AuditAction Action,
    string ActionName,
    string? DirectiveId,
    string? UnitId,
    string? Subject,
    string Summary,
    List<AuditChangeResponse> Changes,
    string PreviousHash,
    string Hash)
{
    public static AuditEntryResponse Of(AuditEntry e) => new(
        e.Chain, e.Sequence, e.Event.At, e.Event.Actor.Kind, e.Event.Actor.Id, e.Event.Actor.Name, e.Event.Action, AuditActions.Name(e.Event.Action),
        e.Event.DirectiveId, e.Event.UnitId, e.Event.Subject, e.Event.Summary,
        e.Event.Changes.Select(c => new AuditChangeResponse(c.Label, c.Before, c.After)).ToList(), e.PreviousHash, e.Hash);
}

public sealed record AuditChangeResponse(string Label, string? Before, string? After);

/// <summary>The trail, newest first (at most 300), and how many rows could not be read.</summary>
public sealed record AuditListResponse(List<AuditEntryResponse> Entries, int Unreadable);

public sealed record AuditVerifyResponse(bool Intact, List<ChainVerifyResponse> Chains);

public sealed record ChainVerifyResponse(string Chain, long Entries, bool Intact, ChainBreakResponse? FirstBreak);

public sealed record ChainBreakResponse(long Sequence, ChainBreakKind Kind, string Message);

public sealed record AuditPageModel(string? Directive, string? Unit, string? Person, AuditPage Trail)
{
    public const string Title = "Nhật ký hoạt động";
}

public sealed record AuditVerifyModel(IReadOnlyList<ChainReport> Chains)
{
    public const string Title = "Kiểm tra toàn vẹn nhật ký";
}
