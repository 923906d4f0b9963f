using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Progress;

/// <summary>How the office orders the units page.</summary>
public enum UnitsSort
{
    /// <summary>Latest first (<see cref="UnitRecord.LatestFirst"/>), then by name.</summary>
    Lateness,

    /// <summary>By name, in Vietnamese order.</summary>
    Name,

    /// <summary>By level (1 to 4; the bodies without one after them), then name.</summary>
    Level,
}

/// <summary>
/// What the office asks of the units page: a name (<see cref="UnitSearch"/>), a level — or
/// <see cref="Others"/>, the bodies without one (mass organisations, boards, the office) —, only
/// units with something late or overdue, an order.
/// </summary>
public sealed record UnitsQuery(string? Search = null, UnitLevel? Level = null, bool OnlyLate = false, UnitsSort Sort = UnitsSort.Lateness, bool Others = false)
{
    public IReadOnlyList<UnitStanding> Apply(IEnumerable<UnitStanding> units)
    {
        var matching = units.Where(u => UnitSearch.Matches(Search, u.UnitId, u.Name)
            && (Others ? u.Unit is { Level: null } : Level is null || u.Unit?.Level == Level)
            && (!OnlyLate || u.Record.HasLateness));
        return (Sort switch
        {
            UnitsSort.Name => matching.OrderBy(u => u.Name, VietnameseCollation.Instance),
            UnitsSort.Level => matching.OrderBy(u => u.Unit?.Level ?? (UnitLevel)int.MaxValue).ThenBy(u => u.Name, VietnameseCollation.Instance),
            _ => matching.OrderBy(u => u.Record, UnitRecord.LatestFirst).ThenBy(u => u.Name, VietnameseCollation.Instance),
        }).ToList();
    }
}
