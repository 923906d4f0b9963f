namespace ServerlessWorkflow.Domain.Audit;

/// <summary>Who acted: an office account, a program's key, a unit through its link, a member of the public, or the system's timer.</summary>
public enum ActorKind
{
    Account,
    ProgramKey,
    Unit,
    Public,
    System,
}

/// <summary>Who did something: an id to find it by (an account name, a key's id, a unit id) and a name to show.</summary>
public sealed record AuditActor(ActorKind Kind, string Id, string Name)
{
    public static readonly AuditActor Public = new(ActorKind.Public, "public", "Người gửi phản ánh");

    public static readonly AuditActor System = new(ActorKind.System, "system", "Hệ thống (hẹn giờ)");

    public static AuditActor Unit(string unitId) => new(ActorKind.Unit, unitId, "Đơn vị " + unitId);
}

/// <summary>What was done. Stored by its C# name; shown by <see cref="AuditActions.Name"/>.</summary>
public enum AuditAction
{
    SignedIn,
    SignedOut,
    AccountLockedOut,
    AccountCreated,
    AccountRolesChanged,
    AccountDisabled,
    AccountEnabled,
    AccountReset,
    PasswordChanged,
    SecondFactorEnabled,
    SecondFactorDisabled,
    KeyCreated,
    KeyRevoked,
    UnitSaved,
    UnitsImported,
    UnitDeactivated,
    UnitReactivated,
    UnitMerged,
    DirectiveRegistered,
    SubmissionReceived,
    StatisticsUploaded,
    EscalationDecided,
    ErrorReportFiled,
    ErrorReportMoved,
    MemberDataViewed,
    MemberDataExported,
    MemberDataErased,
    ErrorReportsAnonymised,
    CalendarChanged,
    UnitRemindedNow,
    LadderHeld,
    LadderReleased,
    EmailResent,
    DirectiveClosed,
    DirectiveReopened,
    UnitLinkResent,
    UnitLinkReissued,
    DirectiveEdited,
}

public static class AuditActions
{
    public static string Name(AuditAction action) => action switch
    {
        AuditAction.SignedIn => "Đăng nhập",
        AuditAction.SignedOut => "Đăng xuất",
        AuditAction.AccountLockedOut => "Tài khoản tạm khóa do nhập sai nhiều lần",
        AuditAction.AccountCreated => "Tạo tài khoản",
        AuditAction.AccountRolesChanged => "Đổi vai trò tài khoản",
        AuditAction.AccountDisabled => "Khóa tài khoản",
        AuditAction.AccountEnabled => "Mở lại tài khoản",
        AuditAction.AccountReset => "Cấp lại mật khẩu",
        AuditAction.PasswordChanged => "Đổi mật khẩu",
        AuditAction.SecondFactorEnabled => "Bật xác thực hai lớp",
        AuditAction.SecondFactorDisabled => "Tắt xác thực hai lớp",
        AuditAction.KeyCreated => "Tạo khóa truy cập cho chương trình",
        AuditAction.KeyRevoked => "Thu hồi khóa truy cập",
        AuditAction.UnitSaved => "Lưu đơn vị",
        AuditAction.UnitsImported => "Nhập danh sách đơn vị",
        AuditAction.UnitDeactivated => "Ngừng hoạt động đơn vị",
        AuditAction.UnitReactivated => "Cho đơn vị hoạt động lại",
        AuditAction.UnitMerged => "Sáp nhập đơn vị",
        AuditAction.DirectiveRegistered => "Tạo công văn",
        AuditAction.DirectiveEdited => "Sửa công văn",
        AuditAction.CalendarChanged => "Sửa lịch làm việc",
        AuditAction.UnitRemindedNow => "Gửi nhắc đơn vị ngay",
        AuditAction.LadderHeld => "Tạm dừng nhắc đơn vị",
        AuditAction.LadderReleased => "Tiếp tục nhắc đơn vị",
        AuditAction.EmailResent => "Gửi lại thư",
        AuditAction.DirectiveClosed => "Đóng công văn",
        AuditAction.DirectiveReopened => "Mở lại công văn",
        AuditAction.UnitLinkResent => "Gửi lại đường dẫn cho đơn vị",
        AuditAction.UnitLinkReissued => "Cấp lại đường dẫn cho đơn vị",
        AuditAction.SubmissionReceived => "Đơn vị gửi báo cáo",
        AuditAction.StatisticsUploaded => "Đơn vị tải lên bảng thống kê",
        AuditAction.EscalationDecided => "Nhắc việc, báo vượt cấp",
        AuditAction.ErrorReportFiled => "Nhận phản ánh sai sót",
        AuditAction.ErrorReportMoved => "Xử lý phản ánh sai sót",
        AuditAction.MemberDataViewed => "Xem thông tin cá nhân của đảng viên",
        AuditAction.MemberDataExported => "Xuất dữ liệu của một đảng viên",
        AuditAction.MemberDataErased => "Xóa dữ liệu của một đảng viên",
        AuditAction.ErrorReportsAnonymised => "Ẩn danh phản ánh hết hạn lưu",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };
}

/// <summary>One field of an edit, as it was and as it is (null: it did not exist). Labels and values are what a clerk reads; never personal data of members.</summary>
public sealed record AuditChange(string Label, string? Before, string? After)
{
    /// <summary>The fields that differ between two descriptions of the same thing (before null: it was created).</summary>
    public static IReadOnlyList<AuditChange> Between(IReadOnlyList<(string Label, string Value)>? before, IReadOnlyList<(string Label, string Value)> after)
    {
        var old = before?.ToDictionary(f => f.Label, f => f.Value) ?? [];
        return after.Where(f => !old.TryGetValue(f.Label, out var was) || was != f.Value)
            .Select(f => new AuditChange(f.Label, old.GetValueOrDefault(f.Label), f.Value))
            .ToList();
    }
}

/// <summary>
/// Something worth answering for later: who did what, when, to which directive, unit or thing
/// (<see cref="Subject"/>: a report's tracking code, an account name, a key's id, a version id),
/// in a short summary and, for edits, the fields before and after. It carries ids, never a member's
/// personal data, so erasing a member's data never has to rewrite the trail.
/// </summary>
public sealed record AuditEvent
{
    public required DateTimeOffset At { get; init; }

    public required AuditActor Actor { get; init; }

    public required AuditAction Action { get; init; }

    public string? DirectiveId { get; init; }

    public string? UnitId { get; init; }

    public string? Subject { get; init; }

    public string Summary { get; init; } = string.Empty;

    public IReadOnlyList<AuditChange> Changes { get; init; } = [];
}

/// <summary>Appends events to the trail; returns once they are stored.</summary>
public interface IAuditTrail
{
    Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
}
