using System.Security.Claims;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;

namespace ServerlessWorkflow.Functions.Features.Units;

/// <summary>
/// Records a unit's change twice: in the unit's own history (shown on its page) and in the audit
/// trail. Nothing is recorded when nothing changed (a form posted twice). An import is one audit
/// event for the whole file, and one history entry per unit it changed.
/// </summary>
public sealed class UnitChanges(IUnitHistory history, OfficeAudit audit, TimeProvider time)
{
    public async Task RecordAsync(ClaimsPrincipal user, UnitSaved saved, CancellationToken cancellationToken)
    {
        if (!saved.Changed)
        {
            return;
        }

        var what = await AppendHistoryAsync(user, saved, imported: false, cancellationToken);
        var id = saved.Current.Id.Value;
        var action = what switch
        {
            UnitChangeKind.Deactivated => AuditAction.UnitDeactivated,
            UnitChangeKind.Reactivated => AuditAction.UnitReactivated,
            UnitChangeKind.Merged => AuditAction.UnitMerged,
            _ => AuditAction.UnitSaved,
        };
        await audit.RecordAsync(user, action, cancellationToken, subject: id, unitId: id,
            summary: what == UnitChangeKind.Merged ? $"{saved.Current.Name} sáp nhập vào {saved.Current.MergedInto}" : string.Empty,
            changes: AuditChange.Between(saved.Previous?.Describe(), saved.Current.Describe()));
    }

    public async Task RecordImportAsync(ClaimsPrincipal user, ImportPlan plan, CancellationToken cancellationToken)
    {
        var saved = plan.Saved.ToList();
        if (saved.Count == 0)
        {
            return;
        }

        foreach (var unit in saved)
        {
            await AppendHistoryAsync(user, unit, imported: true, cancellationToken);
        }

        var changed = saved.Select(u => u.Current.Id.Value).ToList();
        await audit.RecordAsync(user, AuditAction.UnitsImported, cancellationToken,
            summary: $"{changed.Count} đơn vị tạo mới hoặc sửa: {string.Join(", ", changed.Take(50))}{(changed.Count > 50 ? ", …" : string.Empty)}");
    }

    private async Task<UnitChangeKind> AppendHistoryAsync(ClaimsPrincipal user, UnitSaved saved, bool imported, CancellationToken cancellationToken)
    {
        var what = UnitChangeKinds.Of(saved, imported);
        var actor = user.ActorOf();
        await history.AppendAsync(
            new UnitHistoryEntry(saved.Current.Id, time.GetUtcNow(), actor.Id, actor.Name, what, AuditChange.Between(saved.Previous?.Describe(), saved.Current.Describe())),
            cancellationToken);
        return what;
    }
}
