using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Progress;

/// <summary>
/// A unit's tasks due in one month, over every directive, as a read model: how many, how many it
/// completed on time and late — the days late summed both in working days (counted with the calendar
/// when it was built: the days of a late completion are past, and past days of the calendar never
/// change) and in calendar days — and those still open, counted by deadline, so whether they are
/// overdue, and by how many days, can be told at any later instant. Its size does not depend on how
/// many directives there are: a few numbers, and one entry per distinct deadline with open tasks.
/// </summary>
public sealed record UnitMonthRecord(int Assigned, int OnTime, int Late, int DaysLateWorking, int DaysLateCalendar, IReadOnlyList<OpenTasks> Open)
{
    public static readonly UnitMonthRecord Empty = new(0, 0, 0, 0, 0, []);

    /// <summary>The days late summed, in <paramref name="unit"/>.</summary>
    public int DaysLate(DayUnit unit) => unit == DayUnit.WorkingDays ? DaysLateWorking : DaysLateCalendar;
}

/// <summary>How many of a unit's tasks with this deadline are still open (nothing sent, or in progress).</summary>
public readonly record struct OpenTasks(Deadline Deadline, int Count);

/// <summary>
/// One shard of the units' records for one month: each unit of the shard with a task due that month.
/// Built whole from the boards of the directives with a task due that month, so building it again is always right.
/// </summary>
public sealed record UnitMonthShard(Month Month, UnitShard Shard, IReadOnlyDictionary<UnitId, UnitMonthRecord> Units)
{
    public bool HasSameRecords(UnitMonthShard other) =>
        Units.Count == other.Units.Count && Units.All(u => other.Units.TryGetValue(u.Key, out var r) && r.Assigned == u.Value.Assigned && r.OnTime == u.Value.OnTime && r.Late == u.Value.Late
            && r.DaysLateWorking == u.Value.DaysLateWorking && r.DaysLateCalendar == u.Value.DaysLateCalendar && r.Open.SequenceEqual(u.Value.Open));

    /// <summary>From each directive with a task due in <paramref name="month"/>: its tasks and its board's shard <paramref name="shard"/>; working days late counted with <paramref name="calendar"/>.</summary>
    public static UnitMonthShard Build(Month month, UnitShard shard, IEnumerable<(IReadOnlyList<DirectiveTask> Tasks, BoardShard Board)> sources, WorkingCalendar calendar)
    {
        var records = new Dictionary<UnitId, Tally>();
        foreach (var (tasks, board) in sources)
        {
            // Tasks without a deadline, and cancelled ones, have no month (Month.Of): they are not in the records by month.
            var due = tasks.Select((t, i) => (Task: t, Index: i)).Where(x => Month.Of(x.Task) == month).ToList();
            if (due.Count == 0)
            {
                continue;
            }

            foreach (var (unit, cells) in board.Units)
            {
                foreach (var (task, i) in due)
                {
                    if (i < cells.Count && cells[i] is { } mark)
                    {
                        if (!records.TryGetValue(unit, out var tally))
                        {
                            records[unit] = tally = new Tally(calendar);
                        }

                        tally.Add(task.Due, mark);
                    }
                }
            }
        }

        return new UnitMonthShard(month, shard, records.ToDictionary(r => r.Key, r => r.Value.ToRecord()));
    }

    private sealed class Tally(WorkingCalendar calendar)
    {
        private readonly SortedDictionary<Deadline, int> _open = [];
        private int _assigned, _onTime, _late, _daysLateWorking, _daysLateCalendar;

        public void Add(Deadline deadline, AssignmentMark mark)
        {
            _assigned++;
            if (mark.CompletedAt is not { } done)
            {
                _open[deadline] = _open.GetValueOrDefault(deadline) + 1;
            }
            else if (deadline.HasPassed(done))
            {
                _late++;
                _daysLateWorking += calendar.DaysOverdue(deadline, done);
                _daysLateCalendar += deadline.DaysOverdue(done);
            }
            else
            {
                _onTime++;
            }
        }

        public UnitMonthRecord ToRecord() => new(_assigned, _onTime, _late, _daysLateWorking, _daysLateCalendar, _open.Select(o => new OpenTasks(o.Key, o.Value)).ToList());
    }
}

/// <summary>
/// A unit's record over a period, told at one instant: tasks assigned, completed on time, completed
/// late (days late summed), open past their deadline (overdue: how many, days summed, the most) and
/// open before it (pending). Days are counted as the <see cref="DayCount"/> it was told with says.
/// </summary>
public sealed record UnitRecord(int Assigned, int OnTime, int Late, int DaysLate, int Overdue, int DaysOverdue, int MaxDaysOverdue, int Pending)
{
    public static readonly UnitRecord Empty = new(0, 0, 0, 0, 0, 0, 0, 0);

    public int Completed => OnTime + Late;

    /// <summary>Whether anything went wrong: a task completed late or left overdue.</summary>
    public bool HasLateness => Late > 0 || Overdue > 0;

    public static UnitRecord operator +(UnitRecord a, UnitRecord b) => new(
        a.Assigned + b.Assigned, a.OnTime + b.OnTime, a.Late + b.Late, a.DaysLate + b.DaysLate,
        a.Overdue + b.Overdue, a.DaysOverdue + b.DaysOverdue, Math.Max(a.MaxDaysOverdue, b.MaxDaysOverdue), a.Pending + b.Pending);

    /// <summary>One month's record, told at <paramref name="now"/>, days counted as <paramref name="count"/> says.</summary>
    public static UnitRecord Of(UnitMonthRecord month, DateTimeOffset now, DayCount count)
    {
        int overdue = 0, days = 0, most = 0, pending = 0;
        foreach (var open in month.Open)
        {
            if (open.Deadline.HasPassed(now))
            {
                var d = count.DaysOverdue(open.Deadline, now);
                overdue += open.Count;
                days += open.Count * d;
                most = Math.Max(most, d);
            }
            else
            {
                pending += open.Count;
            }
        }

        return new UnitRecord(month.Assigned, month.OnTime, month.Late, month.DaysLate(count.Unit), overdue, days, most, pending);
    }

    /// <summary>One assignment's record, from where it stands.</summary>
    public static UnitRecord Of(AssignmentStanding standing) => standing.State switch
    {
        AssignmentState.SubmittedOnTime => Empty with { Assigned = 1, OnTime = 1 },
        AssignmentState.SubmittedLate => Empty with { Assigned = 1, Late = 1, DaysLate = standing.DaysOverdue },
        AssignmentState.Overdue => Empty with { Assigned = 1, Overdue = 1, DaysOverdue = standing.DaysOverdue, MaxDaysOverdue = standing.DaysOverdue },
        _ => Empty with { Assigned = 1, Pending = 1 },
    };

    /// <summary>The sum of the records of <paramref name="standings"/>.</summary>
    public static UnitRecord Of(IEnumerable<AssignmentStanding> standings) => standings.Aggregate(Empty, (sum, s) => sum + Of(s));

    /// <summary>Latest first: more tasks overdue, then more days overdue, then more tasks late, then more days late.</summary>
    public static readonly IComparer<UnitRecord> LatestFirst = Comparer<UnitRecord>.Create((a, b) =>
        (b.Overdue, b.DaysOverdue, b.Late, b.DaysLate).CompareTo((a.Overdue, a.DaysOverdue, a.Late, a.DaysLate)));
}
