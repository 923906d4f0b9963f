using System.Security.Claims;
using ServerlessWorkflow.Domain.Accounts;

namespace ServerlessWorkflow.Functions.Shared.Pages;

/// <summary>A link of the office's menu and the roles that see it (those its page admits; a test keeps the two equal).</summary>
public sealed record MenuItem(string Url, string Text, IReadOnlyList<OfficeRole> Roles);

/// <summary>The office's menu: each person sees only the pages their roles open.</summary>
public static class OfficeMenu
{
    public static readonly IReadOnlyList<MenuItem> Items =
    [
        new("/office", "Theo dõi công văn", [OfficeRole.VanPhong, OfficeRole.ThuongTruc]),
        new("/office/directives/new", "Tạo công văn", [OfficeRole.VanPhong]),
        new("/office/don-vi", "Đơn vị", [OfficeRole.VanPhong]),
        new("/office/units", "Kết quả đơn vị", [OfficeRole.VanPhong, OfficeRole.ThuongTruc]),
        new("/office/reports", "Báo cáo", [OfficeRole.VanPhong, OfficeRole.ThuongTruc]),
        new("/office/error-reports", "Phản ánh sai sót", [OfficeRole.BanXayDungDang]),
        new("/office/member-data", "Dữ liệu đảng viên", [OfficeRole.BanXayDungDang]),
        new("/office/outbox", "Thư đã gửi", [OfficeRole.VanPhong]),
        new("/office/calendar", "Lịch làm việc", [OfficeRole.VanPhong]),
        new("/office/audit", "Nhật ký", [OfficeRole.QuanTri, OfficeRole.ThuongTruc]),
        new("/office/accounts", "Tài khoản cán bộ", [OfficeRole.QuanTri]),
    ];

    /// <summary>The links <paramref name="user"/> may follow.</summary>
    public static IEnumerable<MenuItem> For(ClaimsPrincipal? user) =>
        user is null ? [] : Items.Where(i => i.Roles.Any(r => user.IsInRole(OfficeRoles.Code(r))));
}
