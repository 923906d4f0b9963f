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

    /// <summary>Whether <paramref name="unit"/> may be created or replaced as it is: its parent exists, sits higher, and no cycle forms.</summary>
    public Result<Unit> CheckPlacement(Unit unit)
    {
        if (unit.ParentId is not { } parentId)
        {
            return unit;
        }

        if (Find(parentId) is not { } parent)
        {
            return Error.Validation("parentId", "missing-parent", $"Không có đơn vị cấp trên mã '{parentId}'. Hãy tạo đơn vị cấp trên trước.");
        }

        if (parent.Level >= unit.Level)
        {
            return Error.Validation("level", "level-not-below-parent", $"Đơn vị cấp {(int)unit.Level} không thể trực thuộc đơn vị cấp {(int)parent.Level} ({UnitLevels.Name(parent.Level)}).");
        }

        var placed = new UnitTree(_units.Values.Where(u => u.Id != unit.Id).Append(unit));
        return placed.ChainUpward(unit.Id).Break == ChainBreak.Cycle
            ? Error.Validation("parentId", "cycle", "Đặt cấp trên như vậy tạo thành vòng lặp: đơn vị sẽ trực thuộc chính nó.")
            : unit;
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
