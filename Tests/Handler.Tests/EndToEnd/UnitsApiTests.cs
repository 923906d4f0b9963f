using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>PUT/GET /api/units and the CSV import, against the running handler and Azurite.</summary>
public sealed class UnitsApiTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly HandlerApp _app = new(storage.ConnectionString, StorageFixture.NewPrefix());
    private OfficeClient _office = null!;

    public ValueTask InitializeAsync()
    {
        _office = new OfficeClient(_app.Start());
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Putting_a_unit_creates_it_with_201_and_putting_it_again_replaces_it_with_200()
    {
        using var created = await _office.SendAsync(HttpMethod.Put, "api/units/dang-uy", new { name = "Đảng ủy", level = 1, email = "vp@example.invalid" });
        using var replaced = await _office.SendAsync(HttpMethod.Put, "api/units/dang-uy", new { name = "Đảng ủy UBND tỉnh", level = "1", email = "vp@example.invalid" });
        using var list = await _office.SendAsync(HttpMethod.Get, "api/units");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var units = await list.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("Đảng ủy UBND tỉnh", Assert.Single(units.EnumerateArray()).GetProperty("unit").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_unit_without_an_email_address_is_kept_without_one_and_a_csv_line_may_leave_it_blank()
    {
        using var created = await _office.SendAsync(HttpMethod.Put, "api/units/dang-uy", new { name = "Đảng ủy", level = 1 });
        using var imported = await PostCsvAsync("api/units/import?apply=true", "id,name,level,parent,email\nchi-bo-z,Chi bộ Z,4,dang-uy,\n");
        using var list = await _office.SendAsync(HttpMethod.Get, "api/units");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var units = (await list.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).EnumerateArray().Select(u => u.GetProperty("unit")).ToList();
        Assert.Equal(2, units.Count);
        Assert.All(units, u => Assert.Equal(JsonValueKind.Null, u.GetProperty("email").ValueKind));
    }

    [Fact]
    public async Task A_unit_can_be_put_as_an_html_form_too()
    {
        using var request = OfficeClient.Request(HttpMethod.Put, "api/units/dang-uy");
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Đảng ủy", ["level"] = "1", ["email"] = "vp@example.invalid" });

        using var response = await _office.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Without_the_office_key_or_with_a_wrong_one_the_api_answers_401_and_stores_nothing()
    {
        using var none = await _office.SendAsync(HttpMethod.Put, "api/units/x", new { name = "X", level = 1, email = "x@example.invalid" }, key: null);
        using var wrong = await _office.SendAsync(HttpMethod.Put, "api/units/x", new { name = "X", level = 1, email = "x@example.invalid" }, key: "wrong");
        using var list = await _office.SendAsync(HttpMethod.Get, "api/units");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("[]", await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_invalid_unit_gets_field_level_problem_json_and_nothing_is_stored()
    {
        using var response = await _office.SendAsync(HttpMethod.Put, "api/units/x", new { name = "<script>alert(1)</script>\u0001", level = 9, parentId = "nope", email = "a@b" });
        using var list = await _office.SendAsync(HttpMethod.Get, "api/units");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(["email", "level", "name"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("[]", await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("a%2Fb")]
    [InlineData("a%5Cb")]
    [InlineData("a%23b")]
    [InlineData("a%3Fb")]
    [InlineData("a'b")]
    [InlineData("a%22b")]
    [InlineData("%3Cscript%3E")]
    [InlineData("a%01b")]
    public async Task Hostile_unit_ids_are_refused_before_they_reach_a_table_key(string escapedId)
    {
        using var response = await _office.SendAsync(HttpMethod.Put, "api/units/" + escapedId, new { name = "X", level = 1, email = "x@example.invalid" });

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{escapedId}: {(int)response.StatusCode}");
    }

    [Fact]
    public async Task A_parent_that_does_not_exist_or_a_cycle_is_refused_with_a_clear_error()
    {
        await _office.SeedUnitsAsync();

        using var orphan = await _office.SendAsync(HttpMethod.Put, "api/units/orphan", new { name = "Mồ côi", level = 4, parentId = "missing", email = "o@example.invalid" });
        using var cycle = await _office.SendAsync(HttpMethod.Put, "api/units/dang-bo-a", new { name = "Đảng bộ", level = 2, parentId = "chi-bo-a1", email = "a@example.invalid" });

        Assert.Equal(HttpStatusCode.BadRequest, orphan.StatusCode);
        Assert.Contains("missing-parent", await orphan.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, cycle.StatusCode);
    }

    [Fact]
    public async Task An_import_is_a_dry_run_until_applied_and_applying_creates_parents_before_children()
    {
        var csv = "id;name;level;parent;email\nchi-bo-x;Chi bộ X;4;dang-bo-x;x@example.invalid\ndang-bo-x;Đảng bộ X;2;;dbx@example.invalid\n";

        using var dryRun = await PostCsvAsync("api/units/import", csv);
        using var afterDryRun = await _office.SendAsync(HttpMethod.Get, "api/units");
        using var applied = await PostCsvAsync("api/units/import?apply=true", csv);
        using var afterApply = await _office.SendAsync(HttpMethod.Get, "api/units");

        var plan = await dryRun.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(2, plan.GetProperty("created").GetInt32());
        Assert.False(plan.GetProperty("applied").GetBoolean());
        Assert.Equal("[]", await afterDryRun.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Equal(2, (await afterApply.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetArrayLength());
    }

    [Fact]
    public async Task An_import_with_an_invalid_line_is_not_applied_at_all()
    {
        using var applied = await PostCsvAsync("api/units/import?apply=true", "id,name,level,parent,email\nok,Tốt,2,,ok@example.invalid\nBAD,Xấu,2,,b@example.invalid\n");
        using var after = await _office.SendAsync(HttpMethod.Get, "api/units");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, applied.StatusCode);
        Assert.Equal("[]", await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_oversized_body_gets_413()
    {
        using var response = await _office.SendAsync(HttpMethod.Put, "api/units/big", new { name = new string('x', 64 * 1024), level = 1, email = "b@example.invalid" });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> PostCsvAsync(string path, string csv)
    {
        using var request = OfficeClient.Request(HttpMethod.Post, path);
        request.Content = new StringContent(csv, Encoding.UTF8, "text/csv");
        return await _office.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
