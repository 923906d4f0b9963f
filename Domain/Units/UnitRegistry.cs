using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Units;

/// <summary>Storage of units. Writes are conditional: on a version that changed meanwhile they answer Conflict.</summary>
public interface IUnitStore
{
    Task<IReadOnlyList<Versioned<Unit>>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One unit by id (a point read), or null.</summary>
    Task<Unit?> GetAsync(UnitId id, CancellationToken cancellationToken);

    /// <summary>Creates the unit (expected version null: only if absent) or replaces it (only if still at the expected version); the list's version changes with it.</summary>
    Task<Result<bool>> PutAsync(Unit unit, StoredVersion? expectedVersion, CancellationToken cancellationToken);

    /// <summary>The version of the whole list, changed by every write (one small read; null: nothing written since it was kept).</summary>
    Task<StoredVersion?> VersionAsync(CancellationToken cancellationToken);
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
public sealed class UnitRegistry(IUnitStore store, TimeProvider time) : IDisposable
{
    private const int Attempts = 4;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (UnitTree Tree, StoredVersion? Version, DateTimeOffset CheckedAt)? _kept;

    /// <summary>How long the tree the office's pages read is trusted before its version is checked again.</summary>
    public TimeSpan CheckEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The tree as stored now: every unit read (for registration, escalation chains, anything that acts on it).</summary>
    public async Task<UnitTree> TreeAsync(CancellationToken cancellationToken) =>
        new((await store.ListAsync(cancellationToken)).Select(v => v.Value));

    /// <summary>
    /// The tree for the office's pages (boards, the units' records, reports), kept in memory: a
    /// province's thousands of units are read once, not on every page. At most once per
    /// <see cref="CheckEvery"/> the list's version is read (one small read) and the tree read again
    /// only when it changed; a change made through this registry is seen at once, one made on
    /// another instance within <see cref="CheckEvery"/>.
    /// </summary>
    public async Task<UnitTree> CurrentTreeAsync(CancellationToken cancellationToken)
    {
        if (_kept is { } fresh && time.GetUtcNow() - fresh.CheckedAt < CheckEvery)
        {
            return fresh.Tree;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_kept is { } checkedMeanwhile && now - checkedMeanwhile.CheckedAt < CheckEvery)
            {
                return checkedMeanwhile.Tree;
            }

            // The version first: a write between the two reads leaves a newer version, so the next check reads the tree again.
            var version = await store.VersionAsync(cancellationToken);
            var tree = _kept is { } kept && kept.Version == version && version is not null ? kept.Tree : await TreeAsync(cancellationToken);
            _kept = (tree, version, now);
            return tree;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the kept tree (after a write here), so the next page reads the stored one.</summary>
    private void Invalidate() => _kept = null;

    public void Dispose() => _gate.Dispose();

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
            Invalidate();
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
            Invalidate();
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
