using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// Units of every kind through PUT /api/units (kind, several addresses, phone, contact; the older
/// body with one <c>email</c> still works), the tree kept consistent by the API as by the page,
/// each change in the unit's history, and rows stored before units had kinds — against Azurite.
/// </summary>
public sealed class UnitKindsApiTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly HandlerApp _app = new(storage.ConnectionString, StorageFixture.NewPrefix());
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private TableClient Units => new TableServiceClient(storage.ConnectionString).GetTableClient(_app.Prefix + "units");

    private async Task<JsonElement> UnitAsync(string id)
    {
        using var list = await _office.SendAsync(HttpMethod.Get, "api/units");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        return (await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Select(i => i.GetProperty("unit")).Single(u => u.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_mass_organisation_is_put_without_a_level_with_several_addresses_a_phone_and_a_contact()
    {
        using var put = await _office.SendAsync(HttpMethod.Put, "api/units/uy-ban-mttq", new
        {
            name = "Ủy ban MTTQ phường",
            kind = "mass-organisation",
            parentId = "dang-uy",
            emails = new[] { "mttq@example.invalid", "chutich.mttq@example.invalid" },
            phone = "024 3851 2345",
            contact = "Đ/c Trần Thị C (Chủ tịch)",
        });

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var unit = await UnitAsync("uy-ban-mttq");
        Assert.Equal("mass-organisation", unit.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, unit.GetProperty("level").ValueKind);
        Assert.Equal("Mặt trận, đoàn thể, hội", unit.GetProperty("levelName").GetString());
        Assert.Equal(["mttq@example.invalid", "chutich.mttq@example.invalid"], unit.GetProperty("emails").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("mttq@example.invalid", unit.GetProperty("email").GetString());
        Assert.Equal("024 3851 2345", unit.GetProperty("phone").GetString());
        Assert.Equal("Đ/c Trần Thị C (Chủ tịch)", unit.GetProperty("contact").GetString());
    }

    [Fact]
    public async Task Moving_a_unit_to_the_level_of_its_sub_unit_or_below_is_refused_and_changes_nothing()
    {
        await _office.PutUnitAsync("dang-bo-x", "Đảng bộ X", 2, "dang-uy");
        await _office.PutUnitAsync("dang-bo-bp", "Đảng bộ bộ phận Y", 3, "dang-bo-x");

        using var moved = await _office.SendAsync(HttpMethod.Put, "api/units/dang-bo-x", new { name = "Đảng bộ X", level = 4, parentId = "dang-uy", email = "dang-bo-x@example.invalid" });

        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        var problem = await moved.Content.ReadAsStringAsync(Ct);
        Assert.Contains("level-not-above-children", problem, StringComparison.Ordinal);
        Assert.Contains("đơn vị trực thuộc 'Đảng bộ bộ phận Y' đang ở cấp 3", problem, StringComparison.Ordinal);
        Assert.Equal(2, (await UnitAsync("dang-bo-x")).GetProperty("level").GetInt32());
    }

    [Fact]
    public async Task A_party_organisation_cannot_be_put_under_a_body_without_a_level()
    {
        using var office = await _office.SendAsync(HttpMethod.Put, "api/units/van-phong", new { name = "Văn phòng Đảng ủy", kind = "office", parentId = "dang-uy", email = "vp@example.invalid" });
        using var cell = await _office.SendAsync(HttpMethod.Put, "api/units/chi-bo-vp", new { name = "Chi bộ trong Văn phòng", level = 4, parentId = "van-phong", email = "cb@example.invalid" });
        using var levelled = await _office.SendAsync(HttpMethod.Put, "api/units/doan", new { name = "Đoàn Thanh niên", kind = "mass-organisation", level = 2, email = "doan@example.invalid" });

        Assert.Equal(HttpStatusCode.Created, office.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, cell.StatusCode);
        Assert.Contains("party-under-non-party", await cell.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, levelled.StatusCode);
        Assert.Contains("level-not-for-kind", await levelled.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_change_through_the_api_is_in_the_units_history_and_a_repeated_put_adds_nothing()
    {
        await _office.PutUnitAsync("chi-bo-z", "Chi bộ Z", 4, "dang-bo-a");
        using var edited = await _office.SendAsync(HttpMethod.Put, "api/units/chi-bo-z", new { name = "Chi bộ Z", level = 4, parentId = "chi-bo-b", email = "chi-bo-z@example.invalid" });
        using var again = await _office.SendAsync(HttpMethod.Put, "api/units/chi-bo-z", new { name = "Chi bộ Z", level = 4, parentId = "chi-bo-b", email = "chi-bo-z@example.invalid" });

        var history = await _app.Services.GetRequiredService<IUnitHistory>().ListAsync(UnitId.Parse("chi-bo-z").Value, 10, Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal([UnitChangeKind.Edited, UnitChangeKind.Created], history.Select(h => h.What));
        var move = Assert.Single(history[0].Changes);
        Assert.Equal(("Đơn vị cấp trên", "dang-bo-a", "chi-bo-b"), (move.Label, move.Before, move.After));
        Assert.False(string.IsNullOrEmpty(history[0].ActorName));
    }

    [Fact]
    public async Task A_row_stored_before_units_had_kinds_reads_as_a_party_organisation_with_one_address()
    {
        await Units.UpsertEntityAsync(
            new TableEntity("unit", "chi-bo-cu") { ["Name"] = "Chi bộ cũ", ["Level"] = 4, ["ParentId"] = "dang-bo-a", ["Email"] = "cu@example.invalid" },
            TableUpdateMode.Replace,
            Ct);

        var unit = await UnitAsync("chi-bo-cu");
        using var edited = await _office.SendAsync(HttpMethod.Put, "api/units/chi-bo-cu", new { name = "Chi bộ cũ", level = 4, parentId = "dang-bo-a", email = "cu@example.invalid", phone = "0912 345 678" });

        Assert.Equal("party-organisation", unit.GetProperty("kind").GetString());
        Assert.Equal(4, unit.GetProperty("level").GetInt32());
        Assert.Equal(["cu@example.invalid"], unit.GetProperty("emails").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("active", unit.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("0912 345 678", (await UnitAsync("chi-bo-cu")).GetProperty("phone").GetString());
    }

    [Theory]
    [InlineData("Kind", "church")]
    [InlineData("State", "Sleeping")]
    [InlineData("AlsoTo", "not-an-address")]
    public async Task A_row_with_a_new_column_it_cannot_read_fails_loudly(string column, string value)
    {
        var row = (await Units.GetEntityAsync<TableEntity>("unit", "chi-bo-b", cancellationToken: Ct)).Value;
        row[column] = value;
        await Units.UpsertEntityAsync(row, TableUpdateMode.Replace, Ct);

        using var list = await _office.SendAsync(HttpMethod.Get, "api/units");

        Assert.Equal(HttpStatusCode.InternalServerError, list.StatusCode);
    }

    [Fact]
    public async Task A_body_without_a_level_stored_with_one_is_a_corrupt_row()
    {
        await Units.UpsertEntityAsync(
            new TableEntity("unit", "doan") { ["Name"] = "Đoàn", ["Kind"] = "mass-organisation", ["Level"] = 2, ["Email"] = "d@example.invalid" },
            TableUpdateMode.Replace,
            Ct);

        using var list = await _office.SendAsync(HttpMethod.Get, "api/units");

        Assert.Equal(HttpStatusCode.InternalServerError, list.StatusCode);
    }
}
