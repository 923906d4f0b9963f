using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

public sealed class UnitTreeTests
{
    internal static Unit U(string id, int level, string? parent = null) =>
        Unit.Create(UnitId.Parse(id).Value, "Đơn vị " + id, level.ToString(System.Globalization.CultureInfo.InvariantCulture), parent, id + "@example.invalid").Value;

    private static readonly UnitTree Tree = new([U("root", 1), U("a", 2, "root"), U("b", 2, "root"), U("a1", 3, "a"), U("a1x", 4, "a1"), U("b1", 4, "b")]);

    [Theory]
    [InlineData("/")]
    [InlineData("\\")]
    [InlineData("#")]
    [InlineData("?")]
    [InlineData("a'b")]
    [InlineData("a\"b")]
    [InlineData("a\u0001b")]
    [InlineData("<script>")]
    [InlineData("Đống-Đa")]
    [InlineData("UPPER")]
    [InlineData("")]
    [InlineData("-leading")]
    public void Hostile_or_malformed_unit_ids_are_refused(string id)
    {
        Assert.False(UnitId.Parse(id).IsSuccess);
    }

    [Fact]
    public void A_two_kilobyte_unit_id_is_refused()
    {
        Assert.False(UnitId.Parse(new string('a', 2048)).IsSuccess);
    }

    [Fact]
    public void The_chain_upward_lists_ancestors_nearest_first()
    {
        var chain = Tree.ChainUpward(UnitId.Parse("a1x").Value);

        Assert.False(chain.IsBroken);
        Assert.Equal(["a1", "a", "root"], chain.Ancestors.Select(u => u.Id.Value));
    }

    [Fact]
    public void A_missing_parent_breaks_the_chain()
    {
        var tree = new UnitTree([U("a", 2, "gone"), U("b", 4, "a")]);

        Assert.Equal(ChainBreak.MissingParent, tree.ChainUpward(UnitId.Parse("b").Value).Break);
    }

    [Fact]
    public void A_cycle_breaks_the_chain_without_looping_forever()
    {
        var tree = new UnitTree([U("x", 3, "y"), U("y", 4, "x")]);

        Assert.Equal(ChainBreak.Cycle, tree.ChainUpward(UnitId.Parse("x").Value).Break);
    }

    [Fact]
    public void A_unit_and_everything_under_it_is_the_subtree_parents_first()
    {
        Assert.Equal(["a", "a1", "a1x"], Tree.SelfAndDescendants(UnitId.Parse("a").Value).Select(u => u.Id.Value));
    }

    [Fact]
    public void Placement_refuses_a_missing_parent_a_parent_at_the_same_or_lower_level_and_a_cycle()
    {
        Assert.Equal("missing-parent", Assert.Single(Tree.CheckPlacement(U("c", 2, "nowhere")).Error!.Fields).Code);
        Assert.Equal("level-not-below-parent", Assert.Single(Tree.CheckPlacement(U("c", 2, "a")).Error!.Fields).Code);
        Assert.Equal("level-not-below-parent", Assert.Single(Tree.CheckPlacement(U("root", 4, "a1x")).Error!.Fields).Code);
        Assert.True(Tree.CheckPlacement(U("c", 4, "a")).IsSuccess);
    }

    [Fact]
    public void A_unit_that_names_itself_as_parent_is_refused_when_created()
    {
        var unit = Unit.Create(UnitId.Parse("self").Value, "Tên", "2", "self", "a@example.invalid");

        Assert.Contains(unit.Error!.Fields, f => f.Code == "self-parent");
    }

    [Fact]
    public void Every_invalid_field_is_reported_at_once_in_Vietnamese()
    {
        var unit = Unit.Create(UnitId.Parse("x").Value, "", "7", "Bad Id", "not-an-email\r\nBcc: x@y.z");

        Assert.Equal(["name", "level", "parentId", "email"], unit.Error!.Fields.Select(f => f.Field));
        Assert.All(unit.Error.Fields, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
    }

    [Theory]
    [InlineData("1", UnitLevel.UpperGrassroots)]
    [InlineData("Chi bộ trực thuộc", UnitLevel.AffiliatedCell)]
    [InlineData("dang bo bo phan", UnitLevel.Partial)]
    public void Levels_are_read_by_number_or_by_the_templates_name(string text, UnitLevel level)
    {
        Assert.Equal(level, UnitLevels.Parse(text).Value);
    }

    [Fact]
    public void Names_are_stored_in_composed_unicode()
    {
        var decomposed = "Đảng bộ phường Đống Đa".Normalize(System.Text.NormalizationForm.FormD);

        var unit = Unit.Create(UnitId.Parse("dd").Value, decomposed, "2", null, "a@example.invalid").Value;

        Assert.Equal("Đảng bộ phường Đống Đa".Normalize(System.Text.NormalizationForm.FormC), unit.Name);
        Assert.True(unit.Name.IsNormalized(System.Text.NormalizationForm.FormC));
    }
}
