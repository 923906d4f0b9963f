using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Units;

/// <summary>Storage of units. Writes are conditional: on a version that changed meanwhile they answer Conflict.</summary>
public interface IUnitStore
{
    Task<IReadOnlyList<Versioned<Unit>>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One unit by id (a point read), or null.</summary>
    Task<Unit?> GetAsync(UnitId id, CancellationToken cancellationToken);

    /// <summary>Creates the unit (expected version null: only if absent) or replaces it (only if still at the expected version).</summary>
    Task<Result<bool>> PutAsync(Unit unit, StoredVersion? expectedVersion, CancellationToken cancellationToken);
}

/// <summary>Whether a PUT created the unit or replaced it.</summary>
public enum UnitPut
{
    Created,
    Replaced,
}

/// <summary>
/// The office's unit registry: create or replace one unit, or import a list, keeping the tree
/// valid. Each write re-reads the tree and is conditional on what it read, so two concurrent
/// changes cannot together form a cycle; a lost race is retried a few times, then reported as a conflict.
/// </summary>
public sealed class UnitRegistry(IUnitStore store)
{
    private const int Attempts = 4;

    public async Task<UnitTree> TreeAsync(CancellationToken cancellationToken) =>
        new((await store.ListAsync(cancellationToken)).Select(v => v.Value));

    /// <summary>One unit, without reading the tree.</summary>
    public Task<Unit?> FindAsync(UnitId id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    /// <summary>Creates or replaces one unit; says which, and — when replaced — what it was.</summary>
    public async Task<Result<(UnitPut Put, Unit? Previous)>> PutAsync(Unit unit, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = await store.ListAsync(cancellationToken);
            var placement = new UnitTree(current.Select(v => v.Value)).CheckPlacement(unit);
            if (!placement.IsSuccess)
            {
                return placement.Error!;
            }

            var existing = current.FirstOrDefault(v => v.Value.Id == unit.Id);
            var written = await store.PutAsync(unit, existing?.Version, cancellationToken);
            if (written.IsSuccess)
            {
                return existing is null ? (UnitPut.Created, null) : (UnitPut.Replaced, existing.Value);
            }

            if (written.Error!.Kind != ErrorKind.Conflict)
            {
                return written.Error;
            }
        }

        return Error.Conflict("concurrent-change", "Danh sách đơn vị vừa được thay đổi đồng thời; hãy thử lại.");
    }

    /// <summary>Plans an import of a CSV unit list; applies it only when <paramref name="apply"/> and no line is invalid.</summary>
    public async Task<Result<ImportPlan>> ImportAsync(string csv, bool apply, CancellationToken cancellationToken)
    {
        var current = await store.ListAsync(cancellationToken);
        var plan = UnitImport.Plan(csv, current.Select(v => v.Value));
        if (!plan.IsSuccess || !apply || !plan.Value.CanApply)
        {
            return plan;
        }

        // Parents first, so that every write leaves a valid tree behind it.
        var versions = current.ToDictionary(v => v.Value.Id, v => v.Version);
        foreach (var unit in OrderParentsFirst(plan.Value.Changes))
        {
            var written = await store.PutAsync(unit, versions.GetValueOrDefault(unit.Id), cancellationToken);
            if (!written.IsSuccess)
            {
                return written.Error!;
            }
        }

        return plan;
    }

    private static IEnumerable<Unit> OrderParentsFirst(IEnumerable<Unit> units)
    {
        var pending = units.ToDictionary(u => u.Id);
        var emitted = new HashSet<UnitId>();
        IEnumerable<Unit> Emit(Unit unit)
        {
            if (unit.ParentId is { } parent && pending.TryGetValue(parent, out var parentUnit) && !emitted.Contains(parent))
            {
                foreach (var ancestor in Emit(parentUnit))
                {
                    yield return ancestor;
                }
            }

            if (emitted.Add(unit.Id))
            {
                yield return unit;
            }
        }

        return pending.Values.ToList().SelectMany(Emit);
    }
}
