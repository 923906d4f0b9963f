using System.Globalization;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>
/// A task registered when its deadline has already passed (offices register old dispatches too, and
/// a dispatch often arrives days after it was signed): what the office is told on the form and in
/// the API's answer — how late it already is, and what the ladder will send and when
/// (<see cref="Ladder.Forecast"/>), or that nothing is sent when it chose "không nhắc".
/// </summary>
public static class LateRegistration
{
    public static bool IsLate(Deadline deadline, DateTimeOffset registeredAt) => deadline.HasPassed(registeredAt);

    /// <summary>The Vietnamese notice for a late task, e.g. "Hạn đã qua 300 ngày. Nếu đơn vị chưa báo cáo hoàn thành, hệ thống sẽ gửi: …".</summary>
    public static string Describe(Deadline deadline, bool remind, IReadOnlyList<ForecastStep> forecast, DateTimeOffset registeredAt)
    {
        var late = $"Hạn hoàn thành (hết ngày {deadline.Display}) đã qua {deadline.DaysOverdue(registeredAt).ToString(CultureInfo.InvariantCulture)} ngày.";
        if (!remind)
        {
            return $"{late} Không nhắc: đơn vị được ghi nhận là quá hạn, hệ thống không gửi thư nào.";
        }

        var sent = forecast.Where(f => !f.Skipped).Select(f => f.At <= registeredAt
            ? $"{f.Step.DisplayName} — ngay lần kiểm tra hạn đầu tiên sau khi tạo"
            : $"{f.Step.DisplayName} — khoảng {VietnamTime.FormatDateTime(f.At!.Value)}");
        return $"{late} Nếu đơn vị chưa báo cáo hoàn thành, hệ thống sẽ gửi lần lượt: {string.Join("; ", sent)}. Không gửi nhắc trước hạn. Chọn “Không nhắc” nếu chỉ cần ghi nhận.";
    }
}
