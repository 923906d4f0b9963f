using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// How far a group of assignments has come. <see cref="CompletionRate"/> = completed (on time or
/// late) / all. <see cref="TimelinessRate"/> = completed on time / assignments whose outcome is
/// known (completed, or deadline passed without completion); assignments still pending before
/// their deadline count for neither side, so a fresh directive is not "0 % on time". Both are null
/// when nothing counts.
/// </summary>
public sealed record ProgressRates(string Name, int Assignments, int OnTime, int Late, int Overdue, int Pending)
{
    public int Completed => OnTime + Late;

    public double? CompletionRate => Assignments == 0 ? null : (double)Completed / Assignments;

    public double? TimelinessRate => Completed + Overdue == 0 ? null : (double)OnTime / (Completed + Overdue);

    public static ProgressRates Of(string name, IEnumerable<AssignmentState> states)
    {
        int onTime = 0, late = 0, overdue = 0, pending = 0;
        foreach (var state in states)
        {
            switch (state)
            {
                case AssignmentState.SubmittedOnTime: onTime++; break;
                case AssignmentState.SubmittedLate: late++; break;
                case AssignmentState.Overdue: overdue++; break;
                default: pending++; break;
            }
        }

        return new ProgressRates(name, onTime + late + overdue + pending, onTime, late, overdue, pending);
    }
}

/// <summary>
/// A directive's progress for the office: overall, per level of the statistics template (party
/// organisations only; the bodies without a level — mass organisations, boards, the office — are
/// <see cref="Others"/>, a group of their own), and per
/// branch of the unit tree. A branch is a top unit of the tree (one without a parent) with
/// everything under it — or, when the tree has a single top unit (the usual case: one committee
/// above all), each unit directly under it with everything under that, the top unit being a branch
/// of its own. Each assigned unit counts in exactly one branch and one level. Branches are named by
/// their head unit and listed in Vietnamese order. A task the office cancelled counts for nothing
/// (its cells read "Đã hủy"); one without a deadline is never overdue (pending until it is done).
/// </summary>
public sealed record DirectiveProgress(ProgressRates Overall, IReadOnlyList<ProgressRates> ByLevel, IReadOnlyList<ProgressRates> ByBranch, ProgressRates? Others = null)
{
    /// <summary>The rates over every assignment of tasks not cancelled.</summary>
    public static ProgressRates RatesOf(IEnumerable<AssignmentView> assignments) =>
        ProgressRates.Of("Tất cả", assignments.Where(a => a.Task.Cancelled is null).Select(a => a.Standing.State));

    public static DirectiveProgress Of(IReadOnlyList<AssignmentView> all, UnitTree tree)
    {
        var assignments = all.Where(a => a.Task.Cancelled is null).ToList();
        var overall = RatesOf(assignments);
        var byLevel = assignments
            .Where(a => a.Unit?.Level is not null)
            .GroupBy(a => a.Unit!.Level!.Value)
            .OrderBy(g => g.Key)
            .Select(g => ProgressRates.Of(UnitLevels.Name(g.Key), g.Select(a => a.Standing.State)))
            .ToList();
        var others = assignments.Where(a => a.Unit is { Level: null }).ToList();
        var singleTop = tree.All.Count(u => u.ParentId is null) == 1;
        var byBranch = assignments
            .GroupBy(a => BranchOf(a.UnitId, tree, singleTop))
            .Select(g => ProgressRates.Of(g.Key, g.Select(a => a.Standing.State)))
            .OrderBy(r => r.Name, VietnameseCollation.Instance)
            .ToList();
        return new DirectiveProgress(overall, byLevel, byBranch, others.Count > 0 ? ProgressRates.Of(UnitKinds.OthersGroup, others.Select(a => a.Standing.State)) : null);
    }

    private static string BranchOf(UnitId unit, UnitTree tree, bool singleTop)
    {
        // Ancestors run from the parent up to the top.
        var up = tree.ChainUpward(unit).Ancestors;
        var head = (singleTop, up.Count) switch
        {
            (_, 0) => tree.Find(unit),
            (true, 1) => tree.Find(unit),
            (true, _) => up[^2],
            (false, _) => up[^1],
        };
        return head?.Name ?? unit.Value;
    }
}
