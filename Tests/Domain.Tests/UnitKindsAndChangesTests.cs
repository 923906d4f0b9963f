using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>Units of other kinds than party organisations, the tree kept consistent by every change, stopping and merging.</summary>
public sealed class UnitKindsAndChangesTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 5, 9, 0, 0, TimeSpan.FromHours(7));

    private static UnitId Id(string id) => UnitId.Parse(id).Value;

    private static Unit U(string id, int level, string? parent = null) => UnitTreeTests.U(id, level, parent);

    private static Unit Body(string id, string kind, string? parent = null) =>
        Unit.Create(Id(id), new UnitInput("Cơ quan " + id, null, parent, [id + "@example.invalid"], kind)).Value;

    private static async Task<(UnitRegistry Registry, MemoryUnitStore Store)> RegistryWith(params Unit[] units)
    {
        var store = new MemoryUnitStore();
        var registry = new UnitRegistry(store, TimeProvider.System);
        foreach (var unit in units)
        {
            Assert.True((await registry.PutAsync(unit, TestContext.Current.CancellationToken)).IsSuccess, unit.Id.Value);
        }

        return (registry, store);
    }

    private static Ct Token => new();

    [Fact]
    public async Task A_unit_cannot_be_moved_to_the_level_of_one_of_its_sub_units_or_below()
    {
        var (registry, store) = await RegistryWith(U("root", 1), U("a", 2, "root"), U("a1", 3, "a"));

        var moved = await registry.PutAsync(U("a", 4, "root"), Token.Value);
        var sameLevel = await registry.PutAsync(U("a", 3, "root"), Token.Value);

        var error = Assert.Single(moved.Error!.Fields);
        Assert.Equal("level-not-above-children", error.Code);
        Assert.Contains("Không thể đặt đơn vị ở cấp 4: đơn vị trực thuộc 'Đơn vị a1' đang ở cấp 3", error.Message, StringComparison.Ordinal);
        Assert.Equal("level-not-above-children", sameLevel.Error!.Fields[0].Code);
        Assert.Equal(UnitLevel.Grassroots, store.Units[Id("a")].Level);
    }

    [Fact]
    public async Task A_unit_cannot_be_moved_under_one_of_its_own_sub_units()
    {
        var (registry, _) = await RegistryWith(Body("mttq", "mass-organisation"), Body("hoi-a", "mass-organisation", "mttq"), Body("chi-hoi", "mass-organisation", "hoi-a"));

        var moved = await registry.PutAsync(Body("mttq", "mass-organisation", "chi-hoi"), Token.Value);

        var error = Assert.Single(moved.Error!.Fields);
        Assert.Equal("cycle", error.Code);
        Assert.Contains("đơn vị trực thuộc của chính nó", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bodies_other_than_party_organisations_have_no_level_and_a_level_given_to_them_is_refused()
    {
        var mttq = Body("mttq", "Mặt trận, đoàn thể, hội");
        var withLevel = Unit.Create(Id("doan"), new UnitInput("Đoàn Thanh niên", "2", null, ["d@example.invalid"], "mass-organisation"));
        var partyWithout = Unit.Create(Id("chi-bo"), new UnitInput("Chi bộ", null, null, ["c@example.invalid"], "party-organisation"));

        Assert.Equal(UnitKind.MassOrganisation, mttq.Kind);
        Assert.Null(mttq.Level);
        Assert.Equal("level-not-for-kind", Assert.Single(withLevel.Error!.Fields).Code);
        Assert.Equal("level", Assert.Single(partyWithout.Error!.Fields).Field);
    }

    [Fact]
    public void A_body_sits_under_a_party_organisation_but_a_party_organisation_never_sits_under_a_body()
    {
        var tree = new UnitTree([U("root", 1), Body("ubkt", "inspection-committee", "root"), Body("vp", "office", "root")]);

        Assert.True(tree.CheckPlacement(Body("ban-tc", "party-board", "root")).IsSuccess);
        Assert.Equal("party-under-non-party", tree.CheckPlacement(U("chi-bo-vp", 4, "vp")).Error!.Fields[0].Code);
    }

    [Fact]
    public void A_party_organisation_with_party_organisations_under_it_cannot_become_a_body_without_a_level()
    {
        var tree = new UnitTree([U("root", 1), U("a", 2, "root"), U("a1", 4, "a")]);

        var changed = tree.CheckPlacement(Body("a", "mass-organisation", "root"));

        Assert.Equal("party-children-need-level", changed.Error!.Fields[0].Code);
    }

    [Fact]
    public void Several_addresses_phone_and_contact_are_kept_without_repeats_and_bad_ones_are_named()
    {
        var unit = Unit.Create(Id("a"), new UnitInput("Chi bộ A", "4", null, ["bithu@example.invalid\nvanthu@example.invalid", "BiThu@example.invalid"], null, "024 3825 1234", "Đ/c Nguyễn Văn A")).Value;
        var bad = Unit.Create(Id("a"), new UnitInput("Chi bộ A", "4", null, ["ok@example.invalid, not-an-address"], null, "gọi tôi", null));

        Assert.Equal(["bithu@example.invalid", "vanthu@example.invalid"], unit.Emails.Select(e => e.Value));
        Assert.Equal("024 3825 1234", unit.Phone);
        Assert.Equal("Đ/c Nguyễn Văn A", unit.Contact);
        Assert.Contains(bad.Error!.Fields, f => f.Field == "email" && f.Message.Contains("not-an-address", StringComparison.Ordinal));
        Assert.Contains(bad.Error!.Fields, f => f.Field == "phone");
    }

    [Fact]
    public async Task A_unit_with_working_sub_units_cannot_stop_and_a_stopped_unit_keeps_its_fields_when_edited()
    {
        var (registry, store) = await RegistryWith(U("root", 1), U("a", 2, "root"), U("a1", 4, "a"));

        var refused = await registry.DeactivateAsync(Id("a"), Token.Value);
        var stoppedChild = await registry.DeactivateAsync(Id("a1"), Token.Value);
        var stopped = await registry.DeactivateAsync(Id("a"), Token.Value);
        var edited = await registry.PutAsync(U("a", 2, "root") with { Phone = "0912345678" }, Token.Value);

        Assert.Equal("active-children", refused.Error!.Fields[0].Code);
        Assert.True(stoppedChild.IsSuccess);
        Assert.True(stopped.IsSuccess);
        Assert.Equal(UnitState.Inactive, edited.Value.Current.State);
        Assert.Equal(UnitState.Inactive, store.Units[Id("a")].State);
        Assert.Equal(UnitChangeKind.Deactivated, UnitChangeKinds.Of(stopped.Value, imported: false));
    }

    [Fact]
    public async Task A_merged_unit_passes_its_future_tasks_to_the_unit_it_joined_and_keeps_its_history()
    {
        var (registry, _) = await RegistryWith(U("root", 1), U("a", 2, "root"), U("b", 2, "root"), U("b1", 4, "b"));

        var withChildren = await registry.MergeAsync(Id("b"), Id("a"), Token.Value);
        var merged = await registry.MergeAsync(Id("b1"), Id("a"), Token.Value);
        var editAfter = await registry.PutAsync(U("b1", 4, "b"), Token.Value);
        var tree = await registry.TreeAsync(Token.Value);
        var directive = DirectiveRegistration.Register(
            new DirectiveInput("1-CV/ĐU", "2026-02-05", "Đảng ủy", "Sáp nhập", [new TaskInput("Báo cáo", "confirmation", "2026-02-20", ["b1"]), new TaskInput("Rà soát", "confirmation", "2026-02-20", ["b/*"])]),
            tree, DirectiveId.New(), Now, WorkingCalendar.Default);

        Assert.Equal("merge-with-children", withChildren.Error!.Fields[0].Code);
        Assert.Equal(UnitChangeKind.Merged, UnitChangeKinds.Of(merged.Value, imported: false));
        Assert.Equal(Id("a"), tree.Find(Id("b1"))!.MergedInto);
        Assert.Equal("unit-merged", editAfter.Error!.Fields[0].Code);
        Assert.Equal(["a"], directive.Value.Tasks[0].Units.Select(u => u.Value));
        Assert.Equal(["b"], directive.Value.Tasks[1].Units.Select(u => u.Value));
    }

    [Fact]
    public async Task A_stopped_unit_receives_no_new_task_and_is_named_in_the_refusal()
    {
        var (registry, _) = await RegistryWith(U("root", 1), U("a", 2, "root"));
        await registry.DeactivateAsync(Id("a"), Token.Value);

        var directive = DirectiveRegistration.Register(
            new DirectiveInput("1-CV/ĐU", "2026-02-05", "Đảng ủy", "X", [new TaskInput("Báo cáo", "confirmation", "2026-02-20", ["a"])]),
            await registry.TreeAsync(Token.Value), DirectiveId.New(), Now, WorkingCalendar.Default);

        Assert.Contains(directive.Error!.Fields, f => f.Code == "inactive-unit" && f.Message.Contains("Đơn vị a", StringComparison.Ordinal));
    }

    [Fact]
    public void Progress_by_level_counts_only_party_organisations_and_the_bodies_are_a_group_of_their_own()
    {
        var tree = new UnitTree([U("root", 1), U("a", 2, "root"), Body("mttq", "mass-organisation", "root")]);
        var directive = DirectiveRegistration.Register(
            new DirectiveInput("1-CV/ĐU", "2026-02-05", "Đảng ủy", "X", [new TaskInput("Báo cáo", "confirmation", "2026-02-20", ["a", "mttq"])]),
            tree, DirectiveId.New(), Now, WorkingCalendar.Default).Value;
        var task = directive.Tasks[0];
        var standing = new AssignmentStanding(AssignmentState.Pending, null, null, 0, 0);
        var assignments = task.Units.Select(u => new AssignmentView(task, tree.Find(u), u, standing)).ToList();

        var progress = DirectiveProgress.Of(assignments, tree);

        Assert.Equal(["Đảng bộ/Chi bộ cơ sở"], progress.ByLevel.Select(r => r.Name));
        Assert.Equal(1, progress.ByLevel[0].Assignments);
        Assert.Equal(1, progress.Others!.Assignments);
        Assert.Equal(2, progress.Overall.Assignments);
    }

    [Fact]
    public void An_import_keeps_what_the_file_does_not_say_and_reads_kinds_and_several_addresses()
    {
        var existing = U("a", 2) with { Phone = "0912345678", Contact = "Đ/c B", State = UnitState.Inactive };
        var csv = "id,name,level,parent,email,kind\na,Đơn vị a,2,,a@example.invalid,\nmttq,Ủy ban MTTQ,,,\"m1@example.invalid; m2@example.invalid\",mass-organisation\n";

        var plan = UnitImport.Plan(csv, [existing]).Value;

        Assert.True(plan.CanApply);
        Assert.Equal(ImportAction.Unchanged, plan.Lines[0].Action);
        var mttq = plan.Lines[1].Unit!;
        Assert.Equal(UnitKind.MassOrganisation, mttq.Kind);
        Assert.Null(mttq.Level);
        Assert.Equal(2, mttq.Emails.Count);
    }

    private readonly record struct Ct(CancellationToken Value);

    /// <summary>The unit store as a dictionary, conditional like the table (versions are counters).</summary>
    private sealed class MemoryUnitStore : IUnitStore
    {
        private readonly Dictionary<UnitId, (Unit Unit, int Version)> _rows = [];
        private int _listVersion;

        public Dictionary<UnitId, Unit> Units => _rows.ToDictionary(r => r.Key, r => r.Value.Unit);

        public Task<IReadOnlyList<Versioned<Unit>>> ListAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Versioned<Unit>>>(_rows.Values.Select(r => new Versioned<Unit>(r.Unit, new StoredVersion(r.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList());

        public Task<Unit?> GetAsync(UnitId id, CancellationToken cancellationToken) =>
            Task.FromResult(_rows.TryGetValue(id, out var row) ? row.Unit : null);

        public Task<Result<bool>> PutAsync(Unit unit, StoredVersion? expectedVersion, CancellationToken cancellationToken)
        {
            var exists = _rows.TryGetValue(unit.Id, out var row);
            if (exists != expectedVersion.HasValue || (exists && row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) != expectedVersion!.Value.Token))
            {
                return Task.FromResult<Result<bool>>(Error.Conflict("concurrent-change", "changed"));
            }

            _rows[unit.Id] = (unit, row.Version + 1);
            _listVersion++;
            return Task.FromResult<Result<bool>>(true);
        }

        public Task<StoredVersion?> VersionAsync(CancellationToken cancellationToken) =>
            Task.FromResult<StoredVersion?>(new StoredVersion(_listVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
