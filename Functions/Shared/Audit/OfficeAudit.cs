using System.Security.Claims;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Functions.Hosting.Security;

namespace ServerlessWorkflow.Functions.Shared.Audit;

/// <summary>Appends what someone did to the audit trail, with the time from <see cref="TimeProvider"/> and the actor from the request's principal (an account, a program's key; nobody signed in: the public).</summary>
public sealed class OfficeAudit(IAuditTrail trail, TimeProvider time)
{
    public Task RecordAsync(
        ClaimsPrincipal user,
        AuditAction action,
        CancellationToken cancellationToken,
        string? subject = null,
        string summary = "",
        IReadOnlyList<AuditChange>? changes = null,
        string? directiveId = null,
        string? unitId = null) =>
        RecordAsync(user.ActorOf(), action, cancellationToken, subject, summary, changes, directiveId, unitId);

    public Task RecordAsync(
        AuditActor actor,
        AuditAction action,
        CancellationToken cancellationToken,
        string? subject = null,
        string summary = "",
        IReadOnlyList<AuditChange>? changes = null,
        string? directiveId = null,
        string? unitId = null) =>
        trail.AppendAsync(
            new AuditEvent
            {
                At = time.GetUtcNow(),
                Actor = actor,
                Action = action,
                Subject = subject,
                Summary = summary,
                Changes = changes ?? [],
                DirectiveId = directiveId,
                UnitId = unitId,
            },
            cancellationToken);

    /// <summary>A directive edited after registration: each change as the units read it, with what it was and what it is, and why.</summary>
    public Task RecordDirectiveEditAsync(ClaimsPrincipal user, DirectiveEdited edited, CancellationToken cancellationToken) =>
        RecordAsync(user, AuditAction.DirectiveEdited, cancellationToken, subject: edited.After.Number, directiveId: edited.After.Id.Value,
            summary: $"{edited.After.Number}: {edited.Change.Lines.Count} thay đổi{(edited.Change.Reason.Length > 0 ? $" (lý do: {edited.Change.Reason})" : string.Empty)}",
            changes: edited.Change.Lines.Select(l => new AuditChange(l.Text, l.Before, l.After)).ToList());

    /// <summary>A year of the working-day calendar changed (from the API or the office's page): each change in the office's words.</summary>
    public Task RecordCalendarAsync(ClaimsPrincipal user, int year, IReadOnlyList<string> what, CancellationToken cancellationToken) =>
        what.Count == 0
            ? Task.CompletedTask
            : RecordAsync(user, AuditAction.CalendarChanged, cancellationToken, subject: $"Năm {year}",
                summary: $"Lịch làm việc năm {year}: {what.Count} thay đổi",
                changes: what.Select(w => new AuditChange("Lịch làm việc", null, w)).ToList());
}
