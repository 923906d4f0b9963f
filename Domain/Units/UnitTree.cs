using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Units;

/// <summary>Why a unit's chain upward does not reach a root.</summary>
public enum ChainBreak
{
    None,

    /// <summary>A unit on the chain names a parent that does not exist.</summary>
    MissingParent,

    /// <summary>Following parents comes back to a unit already on the chain.</summary>
    Cycle,
}

/// <summary>A unit's ancestors, nearest first, and whether the chain reaches a root. Escalation follows it.</summary>
public sealed record UnitChain(IReadOnlyList<Unit> Ancestors, ChainBreak Break)
{
    public bool IsBroken => Break != ChainBreak.None;

    public Unit? Parent => Ancestors.Count > 0 ? Ancestors[0] : null;
}

/// <summary>
/// The units as a tree by <see cref="Unit.ParentId"/>. Placement rules: a parent must exist, no
/// unit may be its own ancestor, and a unit sits at a lower level than its parent (a larger level
/// number: a cell (4) may sit directly under a grassroots committee (2), never the other way round).
/// </summary>
public sealed class UnitTree
{
    private readonly Dictionary<UnitId, Unit> _units;
    private readonly Dictionary<UnitId, List<Unit>> _children;

    public UnitTree(IEnumerable<Unit> units)
    {
        _units = units.ToDictionary(u => u.Id);
        _children = [];
        foreach (var unit in _units.Values)
        {
            if (unit.ParentId is { } parent)
            {
                if (!_children.TryGetValue(parent, out var list))
                {
                    _children[parent] = list = [];
                }

                list.Add(unit);
            }
        }
    }

    public IReadOnlyCollection<Unit> All => _units.Values;

    public Unit? Find(UnitId id) => _units.GetValueOrDefault(id);

    public UnitChain ChainUpward(UnitId id)
    {
        var ancestors = new List<Unit>();
        var seen = new HashSet<UnitId> { id };
        var current = Find(id);
        while (current?.ParentId is { } parentId)
        {
            if (!seen.Add(parentId))
            {
                return new UnitChain(ancestors, ChainBreak.Cycle);
            }

            var parent = Find(parentId);
            if (parent is null)
            {
                return new UnitChain(ancestors, ChainBreak.MissingParent);
            }

            ancestors.Add(parent);
            current = parent;
        }

        return new UnitChain(ancestors, ChainBreak.None);
    }

    /// <summary>The unit and every unit under it, parents before children; empty when the unit does not exist.</summary>
    public IReadOnlyList<Unit> SelfAndDescendants(UnitId id)
    {
        var result = new List<Unit>();
        if (Find(id) is not { } root)
        {
            return result;
        }

        var queue = new Queue<Unit>([root]);
        var seen = new HashSet<UnitId>();
        while (queue.TryDequeue(out var unit))
        {
            if (!seen.Add(unit.Id))
            {
                continue;
            }

            result.Add(unit);
            foreach (var child in _children.GetValueOrDefault(unit.Id) ?? [])
            {
                queue.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>The units directly under <paramref name="id"/> (merged ones aside: they hold nothing any more).</summary>
    public IReadOnlyList<Unit> ChildrenOf(UnitId id) =>
        (_children.GetValueOrDefault(id) ?? []).Where(c => c.State != UnitState.Merged).ToList();

    /// <summary>
    /// The unit that receives what is given to <paramref name="id"/>: the unit itself, or for a
    /// merged unit the unit it was merged into (following later merges too); null when the unit is
    /// missing or the chain of merges is broken.
    /// </summary>
    public Unit? Receiver(UnitId id)
    {
        var unit = Find(id);
        var seen = new HashSet<UnitId>();
        while (unit is { State: UnitState.Merged, MergedInto: { } into } && seen.Add(unit.Id))
        {
            unit = Find(into);
        }

        return unit is { State: UnitState.Merged } ? null : unit;
    }

    /// <summary>
    /// Whether <paramref name="unit"/> may be created or replaced as it is, keeping the whole tree
    /// consistent: its parent exists and still works; a party organisation sits under a party
    /// organisation of a higher level; it is not placed under itself or one of its own sub-units;
    /// and every unit under it stays lower than it (a unit cannot be moved to the level of one of
    /// its sub-units or below, nor lose its level while party organisations sit under it).
    /// </summary>
    public Result<Unit> CheckPlacement(Unit unit)
    {
        if (unit.ParentId is { } parentId)
        {
            if (Find(parentId) is not { } parent)
            {
                return Error.Validation("parentId", "missing-parent", $"Không có đơn vị cấp trên mã '{parentId}'. Hãy tạo đơn vị cấp trên trước.");
            }

            if (parent.State == UnitState.Merged)
            {
                return Error.Validation("parentId", "parent-merged", $"Đơn vị cấp trên '{parent.Name}' đã sáp nhập vào đơn vị khác; hãy chọn đơn vị đang hoạt động.");
            }

            if (unit.IsActive && parent.State == UnitState.Inactive)
            {
                return Error.Validation("parentId", "parent-inactive", $"Đơn vị cấp trên '{parent.Name}' đã ngừng hoạt động; hãy chọn đơn vị đang hoạt động.");
            }

            if (unit.Level is { } level)
            {
                if (parent.Level is not { } parentLevel)
                {
                    return Error.Validation("parentId", "party-under-non-party", $"Tổ chức đảng chỉ trực thuộc một tổ chức đảng cấp trên; '{parent.Name}' là {UnitKinds.Name(parent.Kind).ToLowerInvariant()}, không theo cấp.");
                }

                if (parentLevel >= level)
                {
                    return Error.Validation("level", "level-not-below-parent", $"Đơn vị cấp {(int)level} không thể trực thuộc đơn vị cấp {(int)parentLevel} ({UnitLevels.Name(parentLevel)}).");
                }
            }

            var placed = new UnitTree(_units.Values.Where(u => u.Id != unit.Id).Append(unit));
            if (placed.ChainUpward(unit.Id).Break == ChainBreak.Cycle)
            {
                return Error.Validation("parentId", "cycle", $"Không thể chuyển đơn vị vào dưới '{parent.Name}': đó là đơn vị trực thuộc của chính nó.");
            }
        }

        foreach (var child in ChildrenOf(unit.Id).Where(c => c.Id != unit.Id).OrderBy(c => c.Level ?? (UnitLevel)int.MaxValue))
        {
            if (child.Level is not { } childLevel)
            {
                continue;
            }

            if (unit.Level is not { } level)
            {
                return Error.Validation("kind", "party-children-need-level", $"Tổ chức đảng '{child.Name}' (cấp {(int)childLevel}) đang trực thuộc đơn vị này, nên đơn vị phải là tổ chức đảng có cấp. Hãy chuyển các đơn vị trực thuộc sang nơi khác trước.");
            }

            if (childLevel <= level)
            {
                return Error.Validation("level", "level-not-above-children", $"Không thể đặt đơn vị ở cấp {(int)level}: đơn vị trực thuộc '{child.Name}' đang ở cấp {(int)childLevel}. Hãy chuyển hoặc sửa cấp các đơn vị trực thuộc trước.");
            }
        }

        if (!unit.IsActive && ChildrenOf(unit.Id).FirstOrDefault(c => c.IsActive && c.Id != unit.Id) is { } working)
        {
            return Error.Validation("state", "active-children", $"Đơn vị '{working.Name}' còn hoạt động và trực thuộc đơn vị này; hãy chuyển hoặc ngừng các đơn vị trực thuộc trước.");
        }

        return unit;
    }
}

/// <summary>How the office looks for a unit by name: diacritics, case and spacing do not matter ("dong da" finds "Đống Đa"), and its id matches too.</summary>
public static class UnitSearch
{
    public static bool Matches(string? search, UnitId id, string name)
    {
        if (search is not { Length: > 0 })
        {
            return true;
        }

        var wanted = Text.Fold(search);
        return Text.Fold(name).Contains(wanted, StringComparison.Ordinal) || id.Value.Contains(wanted, StringComparison.Ordinal);
    }
}
