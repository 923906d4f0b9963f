using System.Globalization;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>
/// What the office is told about an email, in the Vietnamese a clerk would write: its state and
/// why (never the provider's raw answer, which goes in a details line — <see cref="OutboxEntry.Result"/>).
/// </summary>
public static class OutboxNotes
{
    public static string StateName(OutboxState state) => state switch
    {
        OutboxState.Sent => "Đã gửi",
        OutboxState.Pending => "Đang chờ gửi",
        OutboxState.Failed => "Gửi lỗi",
        OutboxState.Skipped => "Không gửi",
        _ => "Chỉ ghi lại, chưa gửi",
    };

    /// <summary>The state and its reason in one sentence, e.g. "Chỉ ghi lại, chưa gửi: chưa cấu hình địa chỉ gửi thư đi."</summary>
    public static string Describe(OutboxEntry e)
    {
        var retry = e.NextAttemptAt is { } at ? $" Sẽ thử lại lúc {VietnamTime.FormatDateTime(at)}." : string.Empty;
        var tries = e.Attempts.ToString(CultureInfo.InvariantCulture);
        return (e.State, e.Note) switch
        {
            (OutboxState.Sent, _) => e.SentAt is { } sent ? $"Đã gửi lúc {VietnamTime.FormatDateTime(sent)}." : "Đã gửi.",
            (OutboxState.Pending, OutboxNote.Throttled) => "Đang chờ gửi: dịch vụ gửi thư đề nghị gửi chậm lại." + retry,
            (OutboxState.Pending, OutboxNote.Transient) => $"Đang chờ gửi lại (đã thử {tries} lần): dịch vụ gửi thư tạm thời không nhận thư." + retry,
            (OutboxState.Pending, OutboxNote.Resent) => "Đang chờ gửi lại theo yêu cầu của văn phòng.",
            (OutboxState.Pending, _) => "Đang chờ gửi.",
            (OutboxState.Failed, OutboxNote.GaveUp) => $"Gửi lỗi: đã thử {tries} lần mà dịch vụ gửi thư vẫn không nhận. Có thể bấm “Gửi lại”.",
            (OutboxState.Failed, OutboxNote.Invalid) => "Gửi lỗi: thư thiếu người nhận, tiêu đề hoặc nội dung.",
            (OutboxState.Failed, _) => "Gửi lỗi: dịch vụ gửi thư từ chối thư này. Kiểm tra địa chỉ nhận, sửa nếu cần, rồi bấm “Gửi lại”.",
            (OutboxState.Recorded, OutboxNote.NoSender) => "Chỉ ghi lại, chưa gửi: chưa cấu hình địa chỉ gửi thư đi.",
            (OutboxState.Recorded, _) => "Chỉ ghi lại, chưa gửi: chưa cấu hình dịch vụ gửi thư.",
            (OutboxState.Skipped, OutboxNote.LinkReplaced) => "Không gửi: đường dẫn trong thư đã được thay bằng đường dẫn mới (gửi trong thư khác).",
            (OutboxState.Skipped, OutboxNote.Closed) => "Không gửi: công văn đã kết thúc trước khi đến lượt gửi.",
            (OutboxState.Skipped, OutboxNote.Completed) => "Không gửi: đơn vị đã hoàn thành nhiệm vụ trước khi đến lượt gửi.",
            (OutboxState.Skipped, _) => "Không gửi: đã quá hạn, thư nhắc trước hạn không còn phù hợp.",
            _ => StateName(e.State),
        };
    }
}
