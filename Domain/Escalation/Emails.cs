using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>An email's content: a one-line subject, plain text and HTML.</summary>
public sealed record EmailContent(string Subject, string Text, string Html);

/// <summary>One line of the office's digest.</summary>
public sealed record DigestLine(Directive Directive, DirectiveTask Task, Unit? Unit, UnitId UnitId, bool Overdue, int DaysLate, bool BrokenChain);

/// <summary>
/// The ladder's emails in Vietnamese, as the office would write them: which directive, which task,
/// which deadline (dd/MM/yyyy), how many days late, and the unit's own link. Unit-level data only —
/// never a member's personal data. Subjects are one line: user text cannot add a header.
/// </summary>
public static class Emails
{
    private const string Signature = "Văn phòng Đảng ủy";

    /// <summary>Encodes markup characters; Vietnamese letters stay letters, so the HTML reads as the text does.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static EmailContent ForStep(LadderStep step, Directive directive, DirectiveTask task, Unit unit, UnitChain chain, DateTimeOffset now, string link)
    {
        var deadline = task.Deadline.Display;
        var source = $"Theo Công văn số {directive.Number} ngày {VietnamTime.Format(directive.IssuedOn)} của {directive.Issuer} về việc {directive.Subject}";
        var late = task.Deadline.DaysOverdue(now).ToString(CultureInfo.InvariantCulture);
        var left = Math.Max(0, task.Deadline.DaysLeft(now)).ToString(CultureInfo.InvariantCulture);
        return step.Rung switch
        {
            Rung.Reminder => Compose(
                $"Nhắc hạn: {task.Title} — hạn {deadline}",
                $"Kính gửi: {unit.Name}",
                [
                    $"{source}, đơn vị được giao nhiệm vụ: {task.Title}.",
                    $"Hạn hoàn thành: hết ngày {deadline} (còn {left} ngày).",
                    "Đề nghị đơn vị thực hiện và báo cáo kết quả tại đường dẫn riêng của đơn vị:",
                ],
                link),
            Rung.Step1 => Compose(
                $"Quá hạn {late} ngày: {task.Title} — hạn {deadline}",
                $"Kính gửi: {unit.Name}",
                [
                    $"{source}, đơn vị được giao nhiệm vụ: {task.Title}, hạn hết ngày {deadline}.",
                    $"Đến nay nhiệm vụ đã quá hạn {late} ngày mà đơn vị chưa báo cáo hoàn thành.",
                    "Đề nghị đơn vị khẩn trương thực hiện và báo cáo kết quả tại đường dẫn riêng của đơn vị:",
                ],
                link),
            Rung.Step2 => Compose(
                $"Đơn vị trực thuộc quá hạn {late} ngày: {unit.Name} — {task.Title}",
                chain is { IsBroken: false, Parent: { } parent } ? $"Kính gửi: {parent.Name}" : "Kính gửi: Văn phòng Đảng ủy",
                [
                    $"{source}, {unit.Name} được giao nhiệm vụ: {task.Title}, hạn hết ngày {deadline}.",
                    $"Đến nay đơn vị đã quá hạn {late} ngày mà chưa báo cáo hoàn thành.",
                    chain.IsBroken
                        ? "Lưu ý: không xác định được đơn vị cấp trên của đơn vị này (thông tin cấp trên bị thiếu hoặc lặp vòng); đề nghị Văn phòng kiểm tra lại danh sách đơn vị và trực tiếp đôn đốc."
                        : "Đề nghị đồng chí đôn đốc đơn vị trực thuộc khẩn trương thực hiện.",
                ],
                null),
            Rung.Step3 => Compose(
                $"Đề xuất nhắc nhở, phê bình: {unit.Name} quá hạn {late} ngày — {task.Title}",
                "Kính gửi: Ban Thường vụ Đảng ủy; Ủy ban Kiểm tra Đảng ủy",
                [
                    $"{source}, {unit.Name} được giao nhiệm vụ: {task.Title}, hạn hết ngày {deadline}.",
                    $"Đến nay đơn vị đã quá hạn {late} ngày, đã được nhắc và đôn đốc qua đơn vị cấp trên nhưng chưa báo cáo hoàn thành.",
                    "Văn phòng Đảng ủy đề xuất nhắc nhở, phê bình theo quy định; đề nghị Ủy ban Kiểm tra giám sát việc thực hiện.",
                ],
                null),
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
    }

    /// <summary>The office's daily digest: overdue and late units by task, and units whose chain upward is broken.</summary>
    public static EmailContent Digest(DateOnly day, IReadOnlyList<DigestLine> lines)
    {
        var overdue = lines.Count(l => l.Overdue);
        var subject = $"Tổng hợp ngày {VietnamTime.Format(day)}: {overdue} đơn vị quá hạn, {lines.Count - overdue} đơn vị hoàn thành muộn";
        var paragraphs = new List<string> { "Tình hình thực hiện các công văn đang theo dõi:" };
        foreach (var group in lines.GroupBy(l => (l.Directive.Id, l.Task.Id)))
        {
            var first = group.First();
            paragraphs.Add($"Công văn số {first.Directive.Number} — {first.Task.Title} (hạn {first.Task.Deadline.Display}):");
            paragraphs.AddRange(group.Select(l =>
                $"  - {l.Unit?.Name ?? l.UnitId.Value}: {(l.Overdue ? "quá hạn" : "hoàn thành muộn")} {l.DaysLate.ToString(CultureInfo.InvariantCulture)} ngày" +
                (l.BrokenChain ? " (không xác định được đơn vị cấp trên: nhắc nhở được gửi về Văn phòng)" : string.Empty)));
        }

        if (lines.Count == 0)
        {
            paragraphs.Add("Không có đơn vị nào quá hạn hoặc hoàn thành muộn.");
        }

        return Compose(subject, "Kính gửi: Văn phòng Đảng ủy", paragraphs, null);
    }

    private static EmailContent Compose(string subject, string salutation, IReadOnlyList<string> paragraphs, string? link)
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
