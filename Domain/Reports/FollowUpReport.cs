using System.Globalization;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Reports;

/// <summary>Where a unit stands in the report, over all its tasks covered.</summary>
public enum FollowUpGroup
{
    /// <summary>Every task completed, all on time.</summary>
    OnTime,

    /// <summary>Every task completed, some late.</summary>
    Late,

    /// <summary>A task past its deadline and not completed.</summary>
    Overdue,

    /// <summary>Nothing overdue, but a task not completed before its deadline yet.</summary>
    Pending,
}

/// <summary>What the office proposes to the standing committee for a unit.</summary>
public enum FollowUpProposal
{
    None,

    /// <summary>Nhắc nhở: a task overdue for fewer days than the criticism threshold, or completed late.</summary>
    Remind,

    /// <summary>Phê bình: a task overdue, still not completed, for the threshold or more (by default step 3 of the ladder: 5 days).</summary>
    Criticise,
}

/// <summary>A unit in the report: its record over the tasks covered, its group and the proposal.</summary>
public sealed record UnitFollowUp(UnitId UnitId, string Name, UnitRecord Record, FollowUpGroup Group, FollowUpProposal Proposal)
{
    public static UnitFollowUp Of(UnitId unit, string name, UnitRecord record, int criticiseAfterDays) => new(
        unit,
        name,
        record,
        record.Overdue > 0 ? FollowUpGroup.Overdue : record.Pending > 0 ? FollowUpGroup.Pending : record.Late > 0 ? FollowUpGroup.Late : FollowUpGroup.OnTime,
        record.Overdue > 0 && record.MaxDaysOverdue >= criticiseAfterDays ? FollowUpProposal.Criticise
            : record.HasLateness ? FollowUpProposal.Remind
            : FollowUpProposal.None);
}

/// <summary>
/// The follow-up report the office prepares for the standing committee ("Báo cáo kết quả thực hiện
/// công văn số …"), for one directive or for the tasks due in a period: who completed on time, late,
/// not yet, and whom to criticise or remind. Its wording is made once here (<see cref="Body"/>) for
/// the printable page and the Word document alike. Units are listed in Vietnamese order. Days late
/// and overdue, and the criticism threshold, are in the unit the office counts lateness in
/// (<see cref="Days"/>: working days by default).
/// </summary>
public sealed record FollowUpReport(
    IReadOnlyList<Directive> Directives,
    Period? Period,
    IReadOnlyList<UnitFollowUp> Units,
    ProgressRates Tasks,
    DateTimeOffset At,
    int CriticiseAfterDays,
    DayUnit Days)
{
    /// <summary>
    /// One directive's report, from where each of its assignments stands now: a task without a deadline
    /// counts (done, or not yet done — never late nor overdue); a task the office cancelled does not.
    /// </summary>
    public static FollowUpReport ForDirective(DirectiveView view, DateTimeOffset at, int criticiseAfterDays)
    {
        var live = view.Assignments.Where(a => a.Task.Cancelled is null).ToList();
        var units = live.GroupBy(a => a.UnitId)
            .Select(g => UnitFollowUp.Of(g.Key, g.First().Unit?.Name ?? g.Key.Value, UnitRecord.Of(g.Select(a => a.Standing)), criticiseAfterDays));
        return new FollowUpReport([view.Directive], null, Ordered(units), DirectiveProgress.RatesOf(live), at, criticiseAfterDays, view.Days.Unit);
    }

    /// <summary>The report on the tasks due in <paramref name="period"/>: the directives with such tasks, and each unit's record over them (days counted in <paramref name="days"/>); tasks without a deadline, due in no month, are not in it.</summary>
    public static FollowUpReport ForPeriod(Period period, IEnumerable<Directive> directives, IEnumerable<UnitStanding> units, DateTimeOffset at, int criticiseAfterDays, DayUnit days)
    {
        var covered = units.Where(u => u.Record.Assigned > 0).ToList();
        var sum = covered.Aggregate(UnitRecord.Empty, (s, u) => s + u.Record);
        return new FollowUpReport(
            directives.Where(d => d.Tasks.Any(period.Covers)).OrderBy(d => d.LastDeadline).ToList(),
            period,
            Ordered(covered.Select(u => UnitFollowUp.Of(u.UnitId, u.Name, u.Record, criticiseAfterDays))),
            new ProgressRates("Tất cả", sum.Assigned, sum.OnTime, sum.Late, sum.Overdue, sum.Pending),
            at,
            criticiseAfterDays,
            days);
    }

    public IReadOnlyList<UnitFollowUp> In(FollowUpGroup group) => Units.Where(u => u.Group == group).ToList();

    public IReadOnlyList<UnitFollowUp> Proposed(FollowUpProposal proposal) => Units.Where(u => u.Proposal == proposal).ToList();

    /// <summary>The gist under the title: "Kết quả thực hiện Công văn số 643-CV/ĐU ngày 05/02/2026 của … về …", or of the directives due in the period.</summary>
    public string Gist => Period is { } p
        ? $"Kết quả thực hiện các công văn có nhiệm vụ đến hạn {p.Display}"
        : $"Kết quả thực hiện {Cite(Directives[0])}";

    /// <summary>The report's body, section by section, as both the page and the document show it.</summary>
    public IReadOnlyList<ReportBlock> Body
    {
        get
        {
            var blocks = new List<ReportBlock> { new ReportSection("I. TÌNH HÌNH THỰC HIỆN") };
            var taskCount = Directives.Sum(d => d.Tasks.Count(t => Period?.Covers(t) ?? t.Cancelled is null));
            if (Period is { } period)
            {
                blocks.Add(new ReportParagraph($"Có {N(taskCount)} nhiệm vụ đến hạn {period.Display} theo {N(Directives.Count)} công văn; Văn phòng đã theo dõi, đôn đốc {N(Units.Count)} đơn vị thực hiện:"));
                blocks.Add(new ReportList(Directives.Select(d => $"{Cite(d)} ({(d.LastDeadline is { } last ? $"hạn cuối {last.Display}" : "không có hạn")});").ToList()));
            }
            else
            {
                blocks.Add(new ReportParagraph($"Thực hiện {Cite(Directives[0])}, Văn phòng đã theo dõi, đôn đốc {N(Units.Count)} đơn vị thực hiện {N(taskCount)} nhiệm vụ:"));
                blocks.Add(new ReportList(Directives[0].Tasks.Select(t => $"{t.Title} ({(t.Cancelled is not null ? "đã hủy" : t.DeadlineText)});").ToList()));
            }

            blocks.Add(new ReportParagraph(
                $"Tính đến {VietnamTime.FormatDateTime(At)}, có {N(Tasks.Completed)}/{N(Tasks.Assignments)} lượt nhiệm vụ đã hoàn thành ({Percent(Tasks.CompletionRate)}), " +
                $"trong đó {N(Tasks.OnTime)} đúng hạn và {N(Tasks.Late)} chậm hạn; {N(Tasks.Overdue)} lượt đã quá hạn nhưng chưa hoàn thành; {N(Tasks.Pending)} lượt chưa đến hạn{(Period is null && Directives[0].Tasks.Any(t => t.Deadline is null && t.Cancelled is null) ? " hoặc không có hạn" : string.Empty)}. " +
                $"Tỷ lệ đúng hạn (trên các nhiệm vụ đã hoàn thành hoặc đã quá hạn): {Percent(Tasks.TimelinessRate)}."));
            blocks.Add(new ReportParagraph(
                $"Theo đơn vị: {N(In(FollowUpGroup.OnTime).Count)} đơn vị hoàn thành đúng hạn tất cả nhiệm vụ; {N(In(FollowUpGroup.Late).Count)} đơn vị hoàn thành nhưng có nhiệm vụ chậm hạn; " +
                $"{N(In(FollowUpGroup.Overdue).Count)} đơn vị còn nhiệm vụ quá hạn chưa hoàn thành; {N(In(FollowUpGroup.Pending).Count)} đơn vị chưa hoàn thành nhưng chưa có nhiệm vụ quá hạn."));

            blocks.Add(new ReportSection("II. DANH SÁCH ĐƠN VỊ"));
            blocks.Add(new ReportSubsection($"1. Đơn vị hoàn thành đúng hạn ({N(In(FollowUpGroup.OnTime).Count)} đơn vị)"));
            blocks.Add(Names(In(FollowUpGroup.OnTime)));
            blocks.Add(new ReportSubsection($"2. Đơn vị hoàn thành nhưng chậm hạn ({N(In(FollowUpGroup.Late).Count)} đơn vị)"));
            blocks.Add(Items(In(FollowUpGroup.Late), u => $"{u.Name}: {N(u.Record.Late)} nhiệm vụ chậm, tổng {N(u.Record.DaysLate)} {DayName};"));
            blocks.Add(new ReportSubsection($"3. Đơn vị chưa hoàn thành, đã quá hạn ({N(In(FollowUpGroup.Overdue).Count)} đơn vị)"));
            blocks.Add(Items(In(FollowUpGroup.Overdue), u => $"{u.Name}: {N(u.Record.Overdue)} nhiệm vụ quá hạn, lâu nhất {N(u.Record.MaxDaysOverdue)} {DayName};"));
            blocks.Add(new ReportSubsection($"4. Đơn vị chưa hoàn thành, chưa đến hạn ({N(In(FollowUpGroup.Pending).Count)} đơn vị)"));
            blocks.Add(Names(In(FollowUpGroup.Pending)));

            blocks.Add(new ReportSection("III. ĐỀ XUẤT"));
            var criticise = Proposed(FollowUpProposal.Criticise);
            var remind = Proposed(FollowUpProposal.Remind);
            if (criticise.Count + remind.Count == 0)
            {
                blocks.Add(new ReportParagraph("Các đơn vị đều thực hiện đúng hạn; Văn phòng không đề xuất nhắc nhở, phê bình đơn vị nào."));
            }
            else
            {
                blocks.Add(new ReportParagraph("Căn cứ kết quả trên, Văn phòng đề xuất Thường trực Đảng ủy:"));
                blocks.Add(new ReportSubsection($"1. Phê bình {N(criticise.Count)} đơn vị có nhiệm vụ quá hạn từ {N(CriticiseAfterDays)} {DayName} trở lên mà chưa hoàn thành"));
                blocks.Add(Items(criticise, u => $"{u.Name} (quá hạn {N(u.Record.MaxDaysOverdue)} {DayName});"));
                blocks.Add(new ReportSubsection($"2. Nhắc nhở {N(remind.Count)} đơn vị có nhiệm vụ quá hạn dưới {N(CriticiseAfterDays)} {DayName} hoặc hoàn thành chậm hạn"));
                blocks.Add(Items(remind, u => $"{u.Name} ({Reason(u.Record, DayName)});"));
            }

            blocks.Add(new ReportParagraph("Văn phòng kính báo cáo Thường trực Đảng ủy xem xét, chỉ đạo./."));
            blocks.Add(new ReportTable(
                "PHỤ LỤC: KẾT QUẢ CỦA TỪNG ĐƠN VỊ",
                ["STT", "Đơn vị", "Nhiệm vụ", "Đúng hạn", "Chậm hạn", "Quá hạn chưa làm", "Chưa đến hạn", "Đề xuất"],
                Units.Select((u, i) => (IReadOnlyList<string>)[N(i + 1), u.Name, N(u.Record.Assigned), N(u.Record.OnTime), N(u.Record.Late), N(u.Record.Overdue), N(u.Record.Pending), ProposalName(u.Proposal)]).ToList()));
            return blocks;
        }
    }

    public static string ProposalName(FollowUpProposal proposal) => proposal switch
    {
        FollowUpProposal.Criticise => "Phê bình",
        FollowUpProposal.Remind => "Nhắc nhở",
        _ => string.Empty,
    };

    /// <summary>"Công văn số 643-CV/ĐU ngày 05/02/2026 của Đảng ủy UBND tỉnh về triển khai …".</summary>
    public static string Cite(Directive d) =>
        $"Công văn số {d.Number} ngày {VietnamTime.Format(d.IssuedOn)} của {d.Issuer} về {LowerFirst(d.Subject)}";

    /// <summary>"ngày làm việc" or "ngày", after a number of days.</summary>
    public string DayName => DayUnits.Name(Days);

    private static string Reason(UnitRecord r, string dayName) =>
        r.Overdue > 0 ? $"quá hạn {N(r.MaxDaysOverdue)} {dayName}" : $"{N(r.Late)} nhiệm vụ chậm, tổng {N(r.DaysLate)} {dayName}";

    private static ReportParagraph Names(IReadOnlyList<UnitFollowUp> units) =>
        units.Count == 0 ? new ReportParagraph("Không có.") : new ReportParagraph(string.Join(", ", units.Select(u => u.Name)) + ".");

    private static ReportBlock Items(IReadOnlyList<UnitFollowUp> units, Func<UnitFollowUp, string> line) =>
        units.Count == 0 ? new ReportParagraph("Không có.") : new ReportList(units.Select(line).ToList());

    private static List<UnitFollowUp> Ordered(IEnumerable<UnitFollowUp> units) => units.OrderBy(u => u.Name, Common.VietnameseCollation.Instance).ToList();

    /// <summary>The subject after "về": its first letter lowered, unless the first word is an abbreviation (all capitals).</summary>
    private static string LowerFirst(string text)
    {
        var firstWord = text.Split(' ', 2)[0];
        return text.Length == 0 || firstWord.Length > 1 && firstWord.All(c => !char.IsLetter(c) || char.IsUpper(c))
            ? text
            : char.ToLower(text[0], VietnamTime.Culture) + text[1..];
    }

    private static string N(int value) => value.ToString("#,0", VietnamTime.Culture);

    private static string Percent(double? rate) => rate is { } r ? Math.Round(r * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "—";
}

/// <summary>A piece of the report's body.</summary>
public abstract record ReportBlock;

/// <summary>A section's heading: "I. TÌNH HÌNH THỰC HIỆN".</summary>
public sealed record ReportSection(string Text) : ReportBlock;

/// <summary>A numbered part of a section: "1. Đơn vị hoàn thành đúng hạn (12 đơn vị)".</summary>
public sealed record ReportSubsection(string Text) : ReportBlock;

/// <summary>A paragraph of running text.</summary>
public sealed record ReportParagraph(string Text) : ReportBlock;

/// <summary>Lines each written after a dash.</summary>
public sealed record ReportList(IReadOnlyList<string> Items) : ReportBlock;

/// <summary>A table under its caption (the appendix).</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;
