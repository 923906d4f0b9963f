using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>An email's content: a one-line subject, plain text and HTML.</summary>
public sealed record EmailContent(string Subject, string Text, string Html);

/// <summary>One assignment an email speaks of: the task, the unit (null when it is no longer in the list) and whether its chain upward is broken.</summary>
public sealed record EmailLine(DirectiveTask Task, UnitId UnitId, Unit? Unit, bool ChainBroken)
{
    public string UnitName => Unit?.Name ?? UnitId.Value;
}

/// <summary>One line of the office's digest.</summary>
public sealed record DigestLine(Directive Directive, DirectiveTask Task, Unit? Unit, UnitId UnitId, bool Overdue, int DaysLate, bool BrokenChain, Recipients Reach);

/// <summary>
/// The ladder's emails in Vietnamese, as the office would write them: which directive, which task,
/// which deadline (dd/MM/yyyy), how many days late at the time of writing, and the unit's own link.
/// One email speaks of every assignment it carries: a unit's tasks, a parent's late sub-units, a
/// directive's late units for the committees. Where the email does not reach whom it is meant for
/// (no address, no list configured), it says so. Unit-level data only — never a member's personal
/// data. Subjects are one line: user text cannot add a header.
/// </summary>
public static class Emails
{
    private const string Signature = "Văn phòng Đảng ủy";
    private const string OfficeSalutation = "Kính gửi: Văn phòng Đảng ủy";

    /// <summary>Encodes markup characters; Vietnamese letters stay letters, so the HTML reads as the text does.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The email of <paramref name="step"/> for the assignments in <paramref name="lines"/>, going to <paramref name="recipients"/>; <paramref name="link"/> is the unit's own page, for the unit's emails;
    /// <paramref name="days"/> counts how late or how near (working days with the calendar, as the board does; none: calendar days).</summary>
    public static EmailContent For(LadderStep step, Directive directive, IReadOnlyList<EmailLine> lines, Recipients recipients, DateTimeOffset now, string? link, DayCount? days = null) =>
        step.Rung switch
        {
            Rung.Step2 => ToParent(directive, lines, recipients, now, days),
            Rung.Step3 => ToCommittees(directive, lines, recipients, now, days),
            _ => ToUnit(directive, lines, recipients, now, link, days),
        };

    /// <summary>A reminder before the deadline, step 1 after it, or the office's own reminder: to the unit (or whoever takes its mail), about its own tasks.</summary>
    private static EmailContent ToUnit(Directive directive, IReadOnlyList<EmailLine> lines, Recipients recipients, DateTimeOffset now, string? link, DayCount? days)
    {
        var first = lines[0];
        var late = first.Task.Due.HasPassed(now);
        var paragraphs = new List<string>();
        if (lines.Count == 1)
        {
            var task = first.Task;
            paragraphs.Add($"{Source(directive)}, đơn vị được giao nhiệm vụ: {task.Title}{(late ? $", hạn hết ngày {task.Due.Display}" : string.Empty)}.");
            paragraphs.Add(late
                ? $"Đến nay nhiệm vụ đã quá hạn {Overdue(task.Due, now, days)} mà đơn vị chưa báo cáo hoàn thành."
                : $"Hạn hoàn thành: hết ngày {task.Due.Display} (còn {Left(task.Due, now, days)}).");
        }
        else
        {
            paragraphs.Add($"{Source(directive)}, đơn vị được giao các nhiệm vụ sau{(late ? " và chưa báo cáo hoàn thành" : string.Empty)}:");
            paragraphs.AddRange(lines.Select(l => $"  - {l.Task.Title}: hạn hết ngày {l.Task.Due.Display}, " +
                (late ? $"đã quá hạn {Overdue(l.Task.Due, now, days)}." : $"còn {Left(l.Task.Due, now, days)}.")));
        }

        paragraphs.Add(late
            ? "Đề nghị đơn vị khẩn trương thực hiện và báo cáo kết quả tại đường dẫn riêng của đơn vị:"
            : "Đề nghị đơn vị thực hiện và báo cáo kết quả tại đường dẫn riêng của đơn vị:");
        var unitName = first.UnitName;
        var subject = (late, lines.Count) switch
        {
            (true, 1) => $"Quá hạn {Overdue(first.Task.Due, now, days)}: {first.Task.Title} — hạn {first.Task.Due.Display}",
            (true, _) => $"Quá hạn {Days(lines.Count)} nhiệm vụ: Công văn số {directive.Number}",
            (false, 1) => $"Nhắc hạn: {first.Task.Title} — hạn {first.Task.Due.Display}",
            _ => $"Nhắc hạn {Days(lines.Count)} nhiệm vụ: Công văn số {directive.Number}",
        };
        var (salutation, forwarding) = recipients.Redirect switch
        {
            Redirect.UnitToParent => ($"Kính gửi: {recipients.Reader?.Name}", $"Thư này gửi tới {unitName}; vì đơn vị chưa có địa chỉ thư điện tử trên hệ thống, Văn phòng gửi qua đơn vị cấp trên, đề nghị đồng chí chuyển tới đơn vị."),
            Redirect.UnitToOffice => (OfficeSalutation, $"Thư này gửi tới {unitName}; vì đơn vị và cấp trên chưa có địa chỉ thư điện tử trên hệ thống, thư được gửi về Văn phòng, đề nghị Văn phòng báo trực tiếp cho đơn vị."),
            _ => ($"Kính gửi: {unitName}", null),
        };
        if (forwarding is not null)
        {
            subject = $"Chuyển {unitName} — {subject}";
            paragraphs.Insert(0, forwarding);
        }

        return Compose(subject, salutation, paragraphs, link);
    }

    /// <summary>Step 2: to the parent (the office in copy) about all its late sub-units; to the office when there is no parent to tell.</summary>
    private static EmailContent ToParent(Directive directive, IReadOnlyList<EmailLine> lines, Recipients recipients, DateTimeOffset now, DayCount? days)
    {
        var first = lines[0];
        var units = lines.Select(l => l.UnitId).Distinct().Count();
        var subject = lines.Count == 1
            ? $"Đơn vị trực thuộc quá hạn {Overdue(first.Task.Due, now, days)}: {first.UnitName} — {first.Task.Title}"
            : $"{Days(units)} đơn vị trực thuộc quá hạn — Công văn số {directive.Number}";
        var paragraphs = new List<string>();
        if (recipients.Redirect == Redirect.ParentToOffice)
        {
            paragraphs.Add("Đơn vị cấp trên của các đơn vị dưới đây chưa có địa chỉ thư điện tử trên hệ thống nên thư được gửi về Văn phòng; đề nghị Văn phòng báo trực tiếp cho đơn vị cấp trên.");
        }

        paragraphs.Add(lines.Count == 1
            ? $"{Source(directive)}, {first.UnitName} được giao nhiệm vụ: {first.Task.Title}, hạn hết ngày {first.Task.Due.Display}."
            : $"{Source(directive)}, các đơn vị trực thuộc sau chưa báo cáo hoàn thành nhiệm vụ được giao:");
        if (lines.Count == 1)
        {
            paragraphs.Add($"Đến nay đơn vị đã quá hạn {Overdue(first.Task.Due, now, days)} mà chưa báo cáo hoàn thành.");
        }
        else
        {
            paragraphs.AddRange(lines.Select(l => LateUnit(l, now, days) + (l.ChainBroken ? " — không xác định được đơn vị cấp trên" : string.Empty) + "."));
        }

        var broken = lines.Any(l => l.ChainBroken);
        paragraphs.Add(recipients.Reader is not null
            ? "Đề nghị đồng chí đôn đốc đơn vị trực thuộc khẩn trương thực hiện."
            : broken
                ? "Lưu ý: không xác định được đơn vị cấp trên của đơn vị (thông tin cấp trên bị thiếu hoặc lặp vòng); đề nghị Văn phòng kiểm tra lại danh sách đơn vị và trực tiếp đôn đốc."
                : "Đề nghị Văn phòng trực tiếp đôn đốc đơn vị.");
        return Compose(subject, recipients.Reader is { } parent ? $"Kính gửi: {parent.Name}" : OfficeSalutation, paragraphs, null);
    }

    /// <summary>Step 3: one summary per directive and run for the standing and inspection committees, the late units listed.</summary>
    private static EmailContent ToCommittees(Directive directive, IReadOnlyList<EmailLine> lines, Recipients recipients, DateTimeOffset now, DayCount? days)
    {
        var first = lines[0];
        var units = lines.Select(l => l.UnitId).Distinct().Count();
        var subject = lines.Count == 1
            ? $"Đề xuất nhắc nhở, phê bình: {first.UnitName} quá hạn {Overdue(first.Task.Due, now, days)} — {first.Task.Title}"
            : $"Đề xuất nhắc nhở, phê bình: {Days(units)} đơn vị quá hạn — Công văn số {directive.Number}";
        var paragraphs = new List<string>();
        if (recipients.Redirect == Redirect.CommitteesToOffice)
        {
            paragraphs.Add("Lưu ý: chưa cấu hình địa chỉ thư điện tử của Ban Thường vụ và Ủy ban Kiểm tra nên thư này được gửi về Văn phòng; đề nghị Văn phòng chuyển tới các đồng chí có trách nhiệm.");
        }

        if (lines.Count == 1)
        {
            paragraphs.Add($"{Source(directive)}, {first.UnitName} được giao nhiệm vụ: {first.Task.Title}, hạn hết ngày {first.Task.Due.Display}.");
            paragraphs.Add($"Đến nay đơn vị đã quá hạn {Overdue(first.Task.Due, now, days)}, đã được nhắc và đôn đốc qua đơn vị cấp trên nhưng chưa báo cáo hoàn thành.");
        }
        else
        {
            paragraphs.Add($"{Source(directive)}, các đơn vị sau đã được nhắc và đôn đốc qua đơn vị cấp trên nhưng chưa báo cáo hoàn thành:");
            paragraphs.AddRange(lines.Select(l => LateUnit(l, now, days) + "."));
        }

        paragraphs.Add("Văn phòng Đảng ủy đề xuất nhắc nhở, phê bình theo quy định; đề nghị Ủy ban Kiểm tra giám sát việc thực hiện.");
        return Compose(subject, "Kính gửi: Ban Thường vụ Đảng ủy; Ủy ban Kiểm tra Đảng ủy", paragraphs, null);
    }

    /// <summary>The office's daily digest: overdue and late units by task; units without an address, and whose chain upward is broken, are named.</summary>
    public static EmailContent Digest(DateOnly day, IReadOnlyList<DigestLine> lines, DayCount? days = null)
    {
        var overdue = lines.Count(l => l.Overdue);
        var subject = $"Tổng hợp ngày {VietnamTime.Format(day)}: {Days(overdue)} đơn vị quá hạn, {Days(lines.Count - overdue)} đơn vị hoàn thành muộn";
        var paragraphs = new List<string> { "Tình hình thực hiện các công văn đang theo dõi:" };
        foreach (var group in lines.GroupBy(l => (l.Directive.Id, l.Task.Id)))
        {
            var first = group.First();
            paragraphs.Add($"Công văn số {first.Directive.Number} — {first.Task.Title} (hạn {first.Task.Due.Display}):");
            paragraphs.AddRange(group.Select(l =>
                $"  - {l.Unit?.Name ?? l.UnitId.Value}: {(l.Overdue ? "quá hạn" : "hoàn thành muộn")} {Days(l.DaysLate)} {days?.UnitName ?? "ngày"}" +
                (l.BrokenChain ? " (không xác định được đơn vị cấp trên: nhắc nhở được gửi về Văn phòng)" : string.Empty) +
                (l.Overdue ? l.Reach.Redirect switch
                {
                    Redirect.UnitToParent => $" (chưa có địa chỉ thư: thư nhắc gửi qua {l.Reach.Reader?.Name})",
                    Redirect.UnitToOffice => " (đơn vị và cấp trên chưa có địa chỉ thư: thư nhắc gửi về Văn phòng)",
                    _ when !l.Reach.HasAnyone => " (không có địa chỉ nào nhận thư nhắc)",
                    _ => string.Empty,
                } : string.Empty)));
        }

        var unreachable = lines.Where(l => l.Reach.Redirect is Redirect.UnitToParent or Redirect.UnitToOffice).Select(l => l.Unit?.Name ?? l.UnitId.Value).Distinct().ToList();
        if (unreachable.Count > 0)
        {
            paragraphs.Add($"Đơn vị chưa có địa chỉ thư điện tử (đề nghị bổ sung trong danh sách đơn vị): {string.Join(", ", unreachable)}.");
        }

        if (lines.Count == 0)
        {
            paragraphs.Add("Không có đơn vị nào quá hạn hoặc hoàn thành muộn.");
        }

        return Compose(subject, OfficeSalutation, paragraphs, null);
    }

    private static string Source(Directive directive) =>
        $"Theo Công văn số {directive.Number} ngày {VietnamTime.Format(directive.IssuedOn)} của {directive.Issuer} về việc {directive.Subject}";

    private static string Days(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>"3 ngày làm việc" (or "3 ngày" in calendar days): how late at <paramref name="now"/>, counted as the board counts.</summary>
    private static string Overdue(Deadline deadline, DateTimeOffset now, DayCount? days) =>
        days is { } count ? $"{Days(count.DaysOverdue(deadline, now))} {count.UnitName}" : $"{Days(deadline.DaysOverdue(now))} ngày";

    /// <summary>"2 ngày làm việc" (or "2 ngày"): how many days are left before the deadline's last day, counted as the board counts.</summary>
    private static string Left(Deadline deadline, DateTimeOffset now, DayCount? days) =>
        days is { } count ? $"{Days(Math.Max(0, count.DaysLeft(deadline, now)))} {count.UnitName}" : $"{Days(Math.Max(0, deadline.DaysLeft(now)))} ngày";

    /// <summary>A late unit in a list of step 2 or 3: "  - Chi bộ Văn phòng: Nhiệm vụ số 1 (hạn 25/02/2026), quá hạn 301 ngày".</summary>
    private static string LateUnit(EmailLine line, DateTimeOffset now, DayCount? days) =>
        $"  - {line.UnitName}: {line.Task.Title} (hạn {line.Task.Due.Display}), quá hạn {Overdue(line.Task.Due, now, days)}";

    internal static EmailContent Compose(string subject, string salutation, IReadOnlyList<string> paragraphs, string? link)
    {
        var text = new StringBuilder().Append(salutation).Append("\n\n");
        var html = new StringBuilder("<!doctype html><html lang=\"vi\"><body style=\"font-family:Arial,sans-serif;line-height:1.5\">")
            .Append("<p>").Append(Encoder.Encode(salutation)).Append("</p>");
        foreach (var paragraph in paragraphs)
        {
            text.Append(paragraph).Append('\n');
            html.Append("<p>").Append(Encoder.Encode(paragraph)).Append("</p>");
        }

        if (link is not null)
        {
            text.Append(link).Append('\n');
            html.Append("<p><a href=\"").Append(Encoder.Encode(link)).Append("\">").Append(Encoder.Encode(link)).Append("</a></p>");
        }

        text.Append('\n').Append(Signature).Append('\n');
        html.Append("<p>").Append(Signature).Append("</p></body></html>");
        return new EmailContent(Text.SingleLine(subject), text.ToString(), html.ToString());
    }
}
