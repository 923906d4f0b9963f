using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Progress;

/// <summary>
/// One shard of a directive's board, kept as a read model: each unit of the shard that the
/// directive assigns, with its mark on each task in the directive's order (null where the task is
/// not the unit's). Built whole from the assignments' progress, so building it again is always right.
/// <see cref="Revision"/> is the directive's revision it was built from: a shard built before an edit
/// (units added or taken off, a task added) is older than the directive and is not read as it is.
/// </summary>
public sealed record BoardShard(DirectiveId Directive, UnitShard Shard, IReadOnlyDictionary<UnitId, IReadOnlyList<AssignmentMark?>> Units)
{
    /// <summary>The revision of the directive (<see cref="Directives.Directive.Revision"/>) the shard was built from.</summary>
    public int Revision { get; init; }

    /// <summary>The shard as <paramref name="directive"/> assigns it, each assignment with its mark (<see cref="AssignmentMark.None"/> where the unit has sent nothing).</summary>
    public static BoardShard Build(Directive directive, UnitShard shard, IReadOnlyDictionary<(UnitId Unit, TaskId Task), AssignmentMark> marks)
    {
        var assigned = directive.Tasks.Select(t => t.Units.Where(u => UnitShard.Of(u) == shard).ToHashSet()).ToList();
        var units = new Dictionary<UnitId, IReadOnlyList<AssignmentMark?>>();
        foreach (var unit in assigned.SelectMany(a => a))
        {
            if (!units.ContainsKey(unit))
            {
                units[unit] = directive.Tasks.Select((t, i) => assigned[i].Contains(unit) ? marks.GetValueOrDefault((unit, t.Id)) : (AssignmentMark?)null).ToList();
            }
        }

        return new BoardShard(directive.Id, shard, units) { Revision = directive.Revision };
    }

    /// <summary>Whether <paramref name="other"/> holds the same units with the same marks, built from the same revision (records compare dictionaries by reference).</summary>
    public bool HasSameCells(BoardShard other) =>
        Revision == other.Revision && Units.Count == other.Units.Count && Units.All(u => other.Units.TryGetValue(u.Key, out var cells) && cells.SequenceEqual(u.Value));

    /// <summary>Per task, in the directive's order: how many of the shard's units it is assigned to, and how many completed it on time and late (a task without a deadline is never late).</summary>
    public IReadOnlyList<TaskTally> Tally(IReadOnlyList<DirectiveTask> tasks) =>
        tasks.Select((task, i) =>
        {
            int assigned = 0, onTime = 0, late = 0;
            foreach (var cells in Units.Values)
            {
                if (i < cells.Count && cells[i] is { } mark)
                {
                    assigned++;
                    if (mark.CompletedAt is { } done)
                    {
                        _ = task.IsPastDeadline(done) ? late++ : onTime++;
                    }
                }
            }

            return new TaskTally(assigned, onTime, late);
        }).ToList();
}

/// <summary>A task's count over a group of units: assigned, completed on time, completed late; the rest is open.</summary>
public readonly record struct TaskTally(int Assigned, int OnTime, int Late)
{
    public int Open => Assigned - OnTime - Late;

    public static TaskTally operator +(TaskTally a, TaskTally b) => new(a.Assigned + b.Assigned, a.OnTime + b.OnTime, a.Late + b.Late);
}

/// <summary>
/// A directive's counts as the office's list shows them, kept per shard of units (each shard's
/// entry is set from that shard's board, never incremented, so setting it again is harmless).
/// Complete once every shard has its entry. Written last when a directive's read models are built,
/// with the directive's <see cref="Revision"/> and the <see cref="Months"/> its tasks counted in: counts
/// of an older revision (an edit whose read models were cut short) tell the repair sweep to build the
/// directive again, the months it counted in before the edit included.
/// </summary>
public sealed record DirectiveTally(DirectiveId Directive, IReadOnlyDictionary<UnitShard, IReadOnlyList<TaskTally>> Shards)
{
    public bool IsComplete => Shards.Count == UnitShard.Count;

    /// <summary>The revision of the directive (<see cref="Directives.Directive.Revision"/>) the counts were built from.</summary>
    public int Revision { get; init; }

    /// <summary>The months of the units' records the directive's tasks counted in when the counts were built.</summary>
    public IReadOnlyList<Month> Months { get; init; } = [];

    /// <summary>Whether the counts are complete and of <paramref name="directive"/> as it is now (its revision).</summary>
    public bool IsCurrentFor(Directive directive) => IsComplete && Revision == directive.Revision;

    public bool HasSameCounts(DirectiveTally other) =>
        Revision == other.Revision && Months.SequenceEqual(other.Months) && Shards.Count == other.Shards.Count && Shards.All(s => other.Shards.TryGetValue(s.Key, out var counts) && counts.SequenceEqual(s.Value));

    public DirectiveTally With(UnitShard shard, IReadOnlyList<TaskTally> tallies)
    {
        var shards = new Dictionary<UnitShard, IReadOnlyList<TaskTally>>(Shards) { [shard] = tallies };
        return this with { Shards = shards };
    }

    /// <summary>Per task, in the directive's order, over every shard.</summary>
    public IReadOnlyList<TaskTally> Totals(int tasks) =>
        Enumerable.Range(0, tasks).Select(i => Shards.Values.Aggregate(default(TaskTally), (sum, s) => i < s.Count ? sum + s[i] : sum)).ToList();

    /// <summary>
    /// The directive's overall rates at <paramref name="now"/>: what is open counts as overdue once its
    /// task's deadline has passed, as pending before (always, without a deadline); a cancelled task counts for nothing.
    /// </summary>
    public ProgressRates Rates(IReadOnlyList<DirectiveTask> tasks, DateTimeOffset now)
    {
        var totals = Totals(tasks.Count);
        int onTime = 0, late = 0, overdue = 0, pending = 0;
        for (var i = 0; i < tasks.Count; i++)
        {
            if (tasks[i].Cancelled is not null)
            {
                continue;
            }

            onTime += totals[i].OnTime;
            late += totals[i].Late;
            _ = tasks[i].IsPastDeadline(now) ? overdue += totals[i].Open : pending += totals[i].Open;
        }

        return new ProgressRates("Tất cả", onTime + late + overdue + pending, onTime, late, overdue, pending);
    }
}
