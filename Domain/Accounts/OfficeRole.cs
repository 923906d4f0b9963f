using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Accounts;

/// <summary>
/// What a person (or a program's key) may do in the office. A committee's office is several bodies,
/// and each sees and changes only its own part; an account may hold several roles.
/// </summary>
public enum OfficeRole
{
    /// <summary>Quản trị: office accounts and programs' keys. Nothing else unless the account also holds another role.</summary>
    QuanTri,

    /// <summary>Văn phòng: directives, units, the outbox and escalations.</summary>
    VanPhong,

    /// <summary>Ban Xây dựng Đảng: data-error reports and members' personal details (export, erasure).</summary>
    BanXayDungDang,

    /// <summary>Thường trực: reads the boards, the statistics and the audit trail; changes nothing.</summary>
    ThuongTruc,
}

public static class OfficeRoles
{
    public static readonly IReadOnlyList<OfficeRole> All = Enum.GetValues<OfficeRole>();

    /// <summary>The role as the office names it.</summary>
    public static string Name(OfficeRole role) => role switch
    {
        OfficeRole.QuanTri => "Quản trị",
        OfficeRole.VanPhong => "Văn phòng",
        OfficeRole.BanXayDungDang => "Ban Xây dựng Đảng",
        OfficeRole.ThuongTruc => "Thường trực",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>What the role is for, in a few words (the accounts page shows it beside each box).</summary>
    public static string Duty(OfficeRole role) => role switch
    {
        OfficeRole.QuanTri => "tài khoản cán bộ, khóa truy cập của chương trình",
        OfficeRole.VanPhong => "công văn, đơn vị, thư nhắc và báo cáo vượt cấp",
        OfficeRole.BanXayDungDang => "phản ánh sai sót, thông tin cá nhân của đảng viên",
        OfficeRole.ThuongTruc => "xem bảng theo dõi, số liệu, nhật ký (không sửa)",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>The role's code in storage, claims and forms: <c>quan-tri</c>, <c>van-phong</c>, <c>ban-xay-dung-dang</c>, <c>thuong-truc</c>.</summary>
    public static string Code(OfficeRole role) => role switch
    {
        OfficeRole.QuanTri => "quan-tri",
        OfficeRole.VanPhong => "van-phong",
        OfficeRole.BanXayDungDang => "ban-xay-dung-dang",
        OfficeRole.ThuongTruc => "thuong-truc",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static Result<OfficeRole> Parse(string? code, string field = "roles") =>
        All.Where(r => Code(r) == code?.Trim()).Select(r => (OfficeRole?)r).FirstOrDefault() is { } role
            ? role
            : Error.Validation(field, "invalid-role", "Vai trò không có trong danh sách.");

    /// <summary>Roles from their codes, in the enum's order and without repeats; at least one.</summary>
    public static Result<IReadOnlyList<OfficeRole>> ParseAll(IEnumerable<string?> codes, string field = "roles")
    {
        var roles = new SortedSet<OfficeRole>();
        foreach (var code in codes.Where(c => !string.IsNullOrWhiteSpace(c)))
        {
            var role = Parse(code, field);
            if (!role.IsSuccess)
            {
                return role.Error!;
            }

            roles.Add(role.Value);
        }

        return roles.Count == 0
            ? Error.Validation(field, "required", "Chọn ít nhất một vai trò.")
            : Result<IReadOnlyList<OfficeRole>>.Success([.. roles]);
    }

    /// <summary>"Văn phòng, Thường trực".</summary>
    public static string Names(IEnumerable<OfficeRole> roles) => string.Join(", ", roles.Order().Select(Name));
}
