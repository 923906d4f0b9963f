using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>One cell of the board: a task assigned to a unit, where it stands, the highest step of the ladder recorded for it, and the office's hold on it.</summary>
public sealed record BoardCell(DirectiveTask Task, AssignmentStanding Standing, LadderStep? Reached, LadderHold? Hold = null);

/// <summary>A unit's row: one cell per task of the directive, null where the task is not the unit's.</summary>
public sealed record BoardRow(UnitId UnitId, Unit? Unit, IReadOnlyList<BoardCell?> Cells)
{
    public string Name => Unit?.Name ?? UnitId.Value;

    /// <summary>How late the row is at worst: days overdue of an unfinished task count above days late of a finished one.</summary>
    public int Lateness => Cells.Max(c => c is null ? 0 : c.Standing.State switch
    {
        AssignmentState.Overdue => 10_000 + c.Standing.DaysOverdue,
        AssignmentState.SubmittedLate => c.Standing.DaysOverdue,
        _ => 0,
    });
}

public enum BoardSort
{
    /// <summary>By unit name, in Vietnamese order.</summary>
    Name,

    /// <summary>By level (1 to 4), then name.</summary>
    Level,

    /// <summary>Latest first: overdue units by days overdue, then late ones, then the rest by name.</summary>
    Lateness,
}

/// <summary>
/// What the office asks of the board: a name to look for (diacritics, case and spacing do not
/// matter: "dong da" finds "Đống Đa"; the unit's id matches too), a level, a state that at least
/// one of the row's cells must be in, and an order.
/// </summary>
public sealed record BoardQuery(string? Search = null, UnitLevel? Level = null, AssignmentState? State = null, BoardSort Sort = BoardSort.Name, bool Others = false)
{
    public bool Matches(BoardRow row) =>
        UnitSearch.Matches(Search, row.UnitId, row.Name)
        && (Others ? row.Unit is { Level: null } : Level is null || row.Unit?.Level == Level)
        && (State is null || row.Cells.Any(c => c?.Standing.State == State));
}

/// <summary>
/// The office's view of one directive: units × tasks, each cell's state and escalation step, the
/// progress rates (over every assigned unit, whatever the filter), and the rows the query asks for.
/// </summary>
public sealed record DirectiveBoard(Directive Directive, IReadOnlyList<BoardRow> Rows, int AllRows, DirectiveProgress Progress)
{
    public static DirectiveBoard Of(DirectiveView view, UnitTree tree, IEnumerable<LadderState> ladders, BoardQuery query)
    {
        var directive = view.Directive;
        var byKey = ladders.ToDictionary(l => l.Key);
        var byUnit = view.Assignments.ToLookup(a => a.UnitId);
        var rows = directive.AssignedUnits.Select(unit =>
        {
            var cells = directive.Tasks.Select(task => byUnit[unit].FirstOrDefault(a => a.Task.Id == task.Id) is { } a
                ? byKey.GetValueOrDefault(new AssignmentKey(directive.Id, task.Id, unit)) is { } ladder
                    ? new BoardCell(task, a.Standing, Highest(ladder.Recorded), ladder.Hold)
                    : new BoardCell(task, a.Standing, null)
                : null).ToList();
            return new BoardRow(unit, tree.Find(unit) ?? byUnit[unit].FirstOrDefault()?.Unit, cells);
        }).ToList();

        var byName = rows.Where(query.Matches);
        var ordered = query.Sort switch
        {
            BoardSort.Level => byName.OrderBy(r => r.Unit?.Level ?? (UnitLevel)int.MaxValue).ThenBy(r => r.Name, VietnameseCollation.Instance),
            BoardSort.Lateness => byName.OrderByDescending(r => r.Lateness).ThenBy(r => r.Name, VietnameseCollation.Instance),
            _ => byName.OrderBy(r => r.Name, VietnameseCollation.Instance),
        };
        return new DirectiveBoard(directive, ordered.ToList(), rows.Count, DirectiveProgress.Of(view.Assignments, tree));
    }

    /// <summary>The furthest step of the ladder recorded: a later rung, or for reminders the one closer to the deadline (the office's own reminders aside).</summary>
    public static LadderStep? Highest(IEnumerable<string> recorded) =>
        recorded.Select(LadderStep.Parse).OfType<LadderStep>().Where(s => s.Rung != Rung.Manual)
            .OrderByDescending(s => s.Rung).ThenBy(s => s.Days)
            .Cast<LadderStep?>().FirstOrDefault();
}
