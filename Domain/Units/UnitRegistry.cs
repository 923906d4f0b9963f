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

/// <summary>A unit written: created or replaced, what it was (null when created) and what it is now.</summary>
public sealed record UnitSaved(UnitPut Put, Unit? Previous, Unit Current)
{
    public bool Changed => Previous != Current;
}

/// <summary>
/// The office's unit registry: create, replace, stop, restart or merge one unit, or import a
/// list, keeping the tree valid (<see cref="UnitTree.CheckPlacement"/>). Each write re-reads the
/// tree and is conditional on what it read, so two concurrent changes cannot together break it;
/// a lost race is retried a few times, then reported as a conflict.
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

    /// <summary>Creates or replaces one unit's fields (its state — working, stopped — stays as it is); a merged unit is history and is not edited.</summary>
    public Task<Result<UnitSaved>> PutAsync(Unit unit, CancellationToken cancellationToken) =>
        WriteAsync(unit.Id, (_, existing) => existing switch
        {
            null => unit with { State = UnitState.Active, MergedInto = null },
            { State: UnitState.Merged } => Merged(existing),
            _ => unit with { State = existing.State, MergedInto = null },
        }, cancellationToken);

    /// <summary>Creates a unit that must not exist yet (the office's "add" form).</summary>
    public Task<Result<UnitSaved>> CreateAsync(Unit unit, CancellationToken cancellationToken) =>
        WriteAsync(unit.Id, (_, existing) => existing is null
            ? unit with { State = UnitState.Active, MergedInto = null }
            : Error.Validation("id", "unit-exists", $"Đã có đơn vị mã '{unit.Id}' ({existing.Name}). Hãy chọn mã khác hoặc sửa đơn vị đó."), cancellationToken);

    /// <summary>Stops a unit: it keeps its history but receives no new tasks. Refused while a working unit sits under it.</summary>
    public Task<Result<UnitSaved>> DeactivateAsync(UnitId id, CancellationToken cancellationToken) => SetStateAsync(id, UnitState.Inactive, cancellationToken);

    /// <summary>Lets a stopped unit receive tasks again (its parent must be working).</summary>
    public Task<Result<UnitSaved>> ReactivateAsync(UnitId id, CancellationToken cancellationToken) => SetStateAsync(id, UnitState.Active, cancellationToken);

    private Task<Result<UnitSaved>> SetStateAsync(UnitId id, UnitState state, CancellationToken cancellationToken) =>
        WriteAsync(id, (_, existing) => existing switch
        {
            null => Missing(id),
            { State: UnitState.Merged } => Merged(existing),
            _ => existing with { State = state },
        }, cancellationToken);

    /// <summary>
    /// Merges a unit into another: it stops receiving tasks, what is given to it from now on goes to
    /// <paramref name="into"/>, and its history and past tasks stay. Refused while units sit under it
    /// (move them first), into itself, or into a unit that does not work.
    /// </summary>
    public Task<Result<UnitSaved>> MergeAsync(UnitId id, UnitId into, CancellationToken cancellationToken) =>
        WriteAsync(id, (tree, existing) =>
        {
            if (existing is null)
            {
                return Missing(id);
            }

            if (existing.State == UnitState.Merged)
            {
                return Merged(existing);
            }

            if (into == id)
            {
                return Error.Validation("into", "merge-into-self", "Không thể sáp nhập đơn vị vào chính nó.");
            }

            if (tree.Find(into) is not { } target)
            {
                return Error.Validation("into", "unknown-unit", $"Không có đơn vị mã '{into}'.");
            }

            if (!target.IsActive)
            {
                return Error.Validation("into", "merge-into-inactive", $"Đơn vị '{target.Name}' không còn hoạt động; chỉ sáp nhập vào đơn vị đang hoạt động.");
            }

            if (tree.ChildrenOf(id) is [var child, ..])
            {
                return Error.Validation("into", "merge-with-children", $"Đơn vị '{child.Name}' còn trực thuộc đơn vị này; hãy chuyển các đơn vị trực thuộc sang đơn vị khác trước khi sáp nhập.");
            }

            return existing with { State = UnitState.Merged, MergedInto = into };
        }, cancellationToken);

    private static Error Missing(UnitId id) => Error.NotFound("unit-not-found", $"Không có đơn vị mã '{id}'.");

    private static Error Merged(Unit unit) =>
        Error.Validation("state", "unit-merged", $"Đơn vị '{unit.Name}' đã sáp nhập vào đơn vị mã '{unit.MergedInto}'; không sửa được nữa.");

    /// <summary>Reads the tree, computes the unit's next value from it, checks the tree stays consistent and writes conditionally; retried when another writer got there first.</summary>
    private async Task<Result<UnitSaved>> WriteAsync(UnitId id, Func<UnitTree, Unit?, Result<Unit>> next, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = await store.ListAsync(cancellationToken);
            var tree = new UnitTree(current.Select(v => v.Value));
            var existing = current.FirstOrDefault(v => v.Value.Id == id);
            var unit = next(tree, existing?.Value);
            if (!unit.IsSuccess)
            {
                return unit.Error!;
            }

            if (existing?.Value == unit.Value)
            {
                return new UnitSaved(UnitPut.Replaced, existing.Value, unit.Value);
            }

            var placement = tree.CheckPlacement(unit.Value);
            if (!placement.IsSuccess)
            {
                return placement.Error!;
            }

            var written = await store.PutAsync(unit.Value, existing?.Version, cancellationToken);
            Invalidate();
            if (written.IsSuccess)
            {
                return new UnitSaved(existing is null ? UnitPut.Created : UnitPut.Replaced, existing?.Value, unit.Value);
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
