using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain.Dispatches;

/// <summary>The groups a dispatch names are matched to the office's units for the clerk to check; what no unit matches is shown as written.</summary>
public sealed class RecipientGroupsTests
{
    private static Unit U(string id, string name, int level, string? parent = null) =>
        Unit.Create(UnitId.Parse(id).Value, name, level.ToString(System.Globalization.CultureInfo.InvariantCulture), parent, id + "@example.invalid").Value;

    /// <summary>A ward's tree: the committee at the top, its party organisations, its office, boards and mass organisations.</summary>
    private static readonly UnitTree Ward = new(
    [
        U("dang-uy", "Đảng ủy phường Đống Đa", 1),
        U("dn", "Đảng bộ Khối doanh nghiệp phường", 2, "dang-uy"),
        U("kdc1", "Chi bộ Khu dân cư số 1", 2, "dang-uy"),
        U("kdc1-to2", "Chi bộ Tổ dân phố 2", 4, "kdc1"),
        U("vp", "Văn phòng Đảng ủy", 2, "dang-uy"),
        U("cb-vp", "Chi bộ Văn phòng Đảng ủy", 4, "vp"),
        U("xdd", "Ban Xây dựng Đảng", 2, "dang-uy"),
        U("ubkt", "Ủy ban Kiểm tra Đảng ủy phường", 2, "dang-uy"),
        U("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam phường Đống Đa", 2, "dang-uy"),
        U("doan", "Đoàn Thanh niên phường Đống Đa", 2, "dang-uy"),
        U("hoi-pn", "Hội Liên hiệp Phụ nữ phường", 2, "dang-uy"),
        U("tuyen-giao", "Ban Tuyên giáo và Dân vận", 2, "dang-uy"),
    ]);

    private static RecipientMatch Match(string group, string? issuer = "Đảng ủy phường Đống Đa") =>
        Assert.Single(RecipientGroups.Match([group], Ward, issuer));

    private static string[] Ids(RecipientMatch match) => [.. match.Units.Select(u => u.Value)];

    [Fact]
    public void A_named_body_matches_the_unit_whose_name_begins_with_its_words_abbreviations_written_out()
    {
        Assert.Equal(["vp"], Ids(Match("Văn phòng Đảng ủy"))); // not "Chi bộ Văn phòng Đảng ủy"
        Assert.Equal(["ubkt"], Ids(Match("Ủy ban Kiểm tra Đảng ủy")));
        Assert.Equal(["doan"], Ids(Match("Đoàn Thanh niên phường")));
        Assert.Equal(["dn"], Ids(Match("Đảng bộ khối doanh nghiệp")));
        Assert.Equal(["tuyen-giao"], Ids(Match("Ban Tuyên giáo và Dân vận")));
    }

    [Fact]
    public void A_collective_matches_the_units_of_its_kind_and_trực_thuộc_those_directly_under_the_issuer()
    {
        Assert.Equal(["kdc1", "dn"], Ids(Match("Các Đảng bộ, chi bộ trực thuộc")));
        Assert.Equal(["tuyen-giao", "xdd"], Ids(Match("Các ban Đảng")));

        var front = Match("Ủy ban MTTQ và các tổ chức chính trị - xã hội");
        Assert.Equal(["doan", "hoi-pn", "mttq"], Ids(front));
        Assert.Empty(front.Unmatched);
    }

    [Fact]
    public void Without_the_issuer_in_the_tree_trực_thuộc_means_the_party_organisations_at_the_top()
    {
        var tree = new UnitTree([U("a", "Đảng bộ Sở Tài chính", 2), U("a1", "Chi bộ Phòng Tổng hợp", 4, "a"), U("b", "Chi bộ Văn phòng", 2)]);

        var match = Assert.Single(RecipientGroups.Match(["Các đảng ủy, chi bộ cơ sở trực thuộc"], tree, "Đảng ủy Ủy ban nhân dân tỉnh"));

        Assert.Equal(["b", "a"], match.Units.Select(u => u.Value));
    }

    [Fact]
    public void What_no_unit_matches_is_given_back_as_written_for_the_clerk_to_choose()
    {
        var match = Match("Các ban Đảng và Văn phòng Huyện ủy");

        Assert.Equal(["tuyen-giao", "xdd"], Ids(match));
        Assert.Equal(["Văn phòng Huyện ủy"], match.Unmatched);
        Assert.Equal(["Các đơn vị"], Match("các đơn vị").Unmatched);
        Assert.Empty(Ids(Match("Đảng ủy")));
    }
}
