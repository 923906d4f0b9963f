using ServerlessWorkflow.Domain.Audit;

namespace ServerlessWorkflow.Domain.Units;

/// <summary>What happened to a unit. Stored by its C# name.</summary>
public enum UnitChangeKind
{
    Created,
    Edited,
    Imported,
    Deactivated,
    Reactivated,
    Merged,
}

public static class UnitChangeKinds
{
    public static string Name(UnitChangeKind kind) => kind switch
    {
        UnitChangeKind.Created => "Tạo đơn vị",
        UnitChangeKind.Edited => "Sửa thông tin",
        UnitChangeKind.Imported => "Cập nhật từ tệp danh sách",
        UnitChangeKind.Deactivated => "Ngừng hoạt động",
        UnitChangeKind.Reactivated => "Hoạt động lại",
        UnitChangeKind.Merged => "Sáp nhập",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>How a write is told in the history: a new unit is created, a changed state says which, anything else is an edit (or an import's).</summary>
    public static UnitChangeKind Of(UnitSaved saved, bool imported) => saved switch
    {
        { Previous: null } => UnitChangeKind.Created,
        { Current.State: UnitState.Merged, Previous.State: not UnitState.Merged } => UnitChangeKind.Merged,
        { Current.State: UnitState.Inactive, Previous.State: UnitState.Active } => UnitChangeKind.Deactivated,
        { Current.State: UnitState.Active, Previous.State: UnitState.Inactive } => UnitChangeKind.Reactivated,
        _ => imported ? UnitChangeKind.Imported : UnitChangeKind.Edited,
    };
}

/// <summary>One change of a unit: when, by whom (an account's or a key's name), what, and the fields before and after.</summary>
public sealed record UnitHistoryEntry(UnitId UnitId, DateTimeOffset At, string ActorId, string ActorName, UnitChangeKind What, IReadOnlyList<AuditChange> Changes);

/// <summary>Each unit's history of changes, newest first. It is kept when the unit stops or is merged.</summary>
public interface IUnitHistory
{
    Task AppendAsync(UnitHistoryEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<UnitHistoryEntry>> ListAsync(UnitId unitId, int max, CancellationToken cancellationToken);
}
