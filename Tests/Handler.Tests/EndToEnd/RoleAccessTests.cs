using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// Roles on every page and endpoint. Every endpoint the handler maps declares who may use it —
/// office roles (<c>RequireOfficeRole</c>), any signed-in account (<c>RequireOfficeAccount</c>) or
/// anyone (<c>AsPublic</c>) — and the office's are exactly those of <see cref="Expected"/>, the
/// specification: each is called once with a program key of each role alone, and answers 403 to the
/// roles not listed and something else to those listed. People see only the menu links their roles open.
/// </summary>
public sealed class RoleAccessTests(StorageFixture storage) : IAsyncLifetime
{
    private const OfficeRole Q = OfficeRole.QuanTri, V = OfficeRole.VanPhong, B = OfficeRole.BanXayDungDang, T = OfficeRole.ThuongTruc;

    /// <summary>Who may use each office endpoint, by endpoint name: the issue's table.</summary>
    private static readonly Dictionary<string, OfficeRole[]> Expected = new()
    {
        // Quản trị: accounts and programs' keys.
        ["OfficeAccounts"] = [Q], ["OfficeAccountsPost"] = [Q], ["OfficeAccountChange"] = [Q],
        ["OfficeKeys"] = [Q], ["OfficeKeysPost"] = [Q], ["OfficeKeyRevoke"] = [Q],
        // Văn phòng: directives, units, outbox (thường trực reads boards and reports).
        ["OfficeDirectives"] = [V, T], ["OfficeDirective"] = [V, T], ["NewDirective"] = [V], ["NewDirectivePost"] = [V],
        ["RegisterDirective"] = [V], ["ListDirectives"] = [V, T], ["GetDirective"] = [V, T],
        ["EditDirective"] = [V], ["OfficeEditDirective"] = [V], ["OfficeEditDirectivePost"] = [V],
        ["PutUnit"] = [V], ["ImportUnits"] = [V], ["ListUnits"] = [V, T],
        ["OfficeUnits"] = [V], ["OfficeUnitsPost"] = [V], ["OfficeUnit"] = [V], ["OfficeUnitPost"] = [V], ["OfficeUnitState"] = [V], ["OfficeUnitMerge"] = [V], ["OfficeUnitsImport"] = [V],
        ["OfficeOutbox"] = [V], ["OfficeResendEmail"] = [V], ["ListOutbox"] = [V], ["GetEscalations"] = [V, T],
        ["OfficeLadderAction"] = [V],
        // Issue 16: closing a directive, and a unit's link sent again or reissued, are the office's.
        ["CloseDirective"] = [V], ["ReopenDirective"] = [V], ["OfficeCloseDirective"] = [V], ["OfficeCloseDirectivePost"] = [V], ["OfficeReopenDirective"] = [V],
        ["ResendUnitLink"] = [V], ["ReissueUnitLink"] = [V], ["OfficeUnitLinkAction"] = [V],
        ["OfficeStatistics"] = [V, T], ["GetStatistics"] = [V, T], ["ExportStatistics"] = [V, T],
        ["OfficeUploadStatistics"] = [V], ["UploadStatisticsForUnit"] = [V], ["ReadTemplate"] = [V], ["GetTemplate"] = [V, T],
        // The office's desk (issue 17): a unit in a directive (what it sent, its files and its ladder: issue 14's page joined), units' records, the follow-up report, the board's export — read by both.
        ["OfficeAssignment"] = [V, T], ["DownloadAttachment"] = [V, T], ["OfficeUnitRecords"] = [V, T], ["OfficeUnitRecord"] = [V, T],
        ["OfficeDirectiveReport"] = [V, T], ["DirectiveReportDocument"] = [V, T], ["OfficeReport"] = [V, T], ["PeriodReportDocument"] = [V, T],
        ["ExportBoard"] = [V, T],
        // The working-day calendar (issue 19): văn phòng keeps it; thường trực may read it and count terms.
        ["OfficeCalendar"] = [V], ["OfficeCalendarYear"] = [V], ["OfficeCalendarYearPost"] = [V],
        ["GetCalendarYear"] = [V, T], ["PutCalendarYear"] = [V], ["CountWorkingDays"] = [V, T],
        // Ban Xây dựng Đảng: error reports and members' details.
        ["OfficeErrorReports"] = [B], ["OfficeMoveErrorReport"] = [B], ["ListErrorReports"] = [B], ["MoveErrorReport"] = [B],
        ["OfficeMemberData"] = [B], ["OfficeMemberDataPost"] = [B], ["ExportMemberData"] = [B], ["EraseMemberData"] = [B],
        // The audit trail: administrators and the standing committee.
        ["OfficeAudit"] = [Q, T], ["OfficeAuditVerify"] = [Q, T], ["ListAudit"] = [Q, T], ["VerifyAudit"] = [Q, T],
    };

    /// <summary>Pages every signed-in person may open, whatever their roles: their own.</summary>
    private static readonly string[] OwnPages = ["OfficeLogout", "MyAccount", "MyAccountPost"];

    private readonly HandlerApp _app = new(storage.ConnectionString, StorageFixture.NewPrefix());
    private readonly Dictionary<OfficeRole, string> _keys = [];
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app.Start().Dispose();
        _http = Visitor.Client(_app.BaseAddress);
        var ring = _app.Services.GetRequiredService<ProgramKeyRing>();
        foreach (var role in OfficeRoles.All)
        {
            _keys[role] = (await ring.CreateAsync("Kiểm thử " + OfficeRoles.Name(role), [OfficeRoles.Code(role)], "test", Ct)).Value.Secret;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private IReadOnlyList<RouteEndpoint> Endpoints => _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    [Fact]
    public void Every_endpoint_declares_who_may_use_it_by_office_roles_or_as_public()
    {
        var undeclared = Endpoints
            .Where(e => e.Metadata.GetMetadata<OfficeAccess>() is not { } access || (access.Roles.Count == 0 && !OwnPages.Contains(Name(e))))
            .Where(e => e.Metadata.GetMetadata<PublicAccess>() is null)
            .Select(e => $"{Describe(e)}{(e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == OfficeAuthentication.Policy) ? " (uses OfficeAuthentication.Policy: any signed-in account or key, whatever its roles)" : string.Empty)}")
            .ToList();

        Assert.True(
            undeclared.Count == 0,
            "These endpoints declare no role. Add .RequireOfficeRole(OfficeRole.…) with the roles of issue 18 (quản trị: accounts; văn phòng: directives, units, outbox; "
            + "ban xây dựng đảng: error reports and members' details; thường trực: read-only boards and reports), or .AsPublic() for what anyone may call, "
            + "and list the office ones in RoleAccessTests.Expected:\n  " + string.Join("\n  ", undeclared));
    }

    [Fact]
    public void The_office_endpoints_are_exactly_those_of_the_specification_with_its_roles()
    {
        var declared = Endpoints
            .Where(e => e.Metadata.GetMetadata<OfficeAccess>() is { Roles.Count: > 0 })
            .ToDictionary(Name, e => e.Metadata.GetMetadata<OfficeAccess>()!.Roles.Order().ToArray());

        var missing = Expected.Keys.Except(declared.Keys).ToList();
        var unknown = declared.Keys.Except(Expected.Keys).Select(n => $"{n} ({string.Join(", ", declared[n].Select(OfficeRoles.Name))})").ToList();
        var different = declared.Keys.Intersect(Expected.Keys).Where(n => !declared[n].SequenceEqual(Expected[n].Order()))
            .Select(n => $"{n}: declares {string.Join(", ", declared[n].Select(OfficeRoles.Name))}, expected {string.Join(", ", Expected[n].Order().Select(OfficeRoles.Name))}").ToList();

        Assert.True(missing.Count == 0, "Endpoints of the specification that the handler no longer maps: " + string.Join(", ", missing));
        Assert.True(unknown.Count == 0, "Office endpoints not in RoleAccessTests.Expected (add each with the roles the issue gives it): " + string.Join(", ", unknown));
        Assert.True(different.Count == 0, string.Join("\n", different));
    }

    [Fact]
    public async Task Each_role_is_let_through_exactly_the_office_endpoints_the_specification_gives_it_and_refused_the_rest_with_403()
    {
        var wrong = new List<string>();
        foreach (var endpoint in Endpoints.Where(e => e.Metadata.GetMetadata<OfficeAccess>() is { Roles.Count: > 0 }))
        {
            foreach (var role in OfficeRoles.All)
            {
                using var response = await CallAsync(endpoint, _keys[role]);
                var allowed = Expected.TryGetValue(Name(endpoint), out var roles) && roles.Contains(role);
                var answered = response.StatusCode;
                // A person opening the directives' list without its roles is sent to their own home instead.
                var refused = answered == HttpStatusCode.Forbidden || (answered == HttpStatusCode.Redirect && Name(endpoint) == "OfficeDirectives" && response.Headers.Location?.OriginalString != "/office");
                if (allowed ? answered is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized || answered == HttpStatusCode.Redirect : !refused)
                {
                    wrong.Add($"{Describe(endpoint)} as {OfficeRoles.Name(role)}: {(int)answered}, expected {(allowed ? "not 401/403" : "403")}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_forbidden_request_is_told_in_Vietnamese_which_roles_may_as_problem_json_for_programs_and_a_page_for_people()
    {
        using var problem = await SendAsync(HttpMethod.Get, "api/error-reports", _keys[V], "application/json");
        var json = await problem.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var page = await SendAsync(HttpMethod.Get, "office/error-reports", _keys[V], "text/html");
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Forbidden, problem.StatusCode);
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
        Assert.Equal("forbidden", json.GetProperty("code").GetString());
        Assert.Contains("Việc này dành cho: Ban Xây dựng Đảng", json.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Không có quyền truy cập", html, StringComparison.Ordinal);
        Assert.Contains("Việc này dành cho: Ban Xây dựng Đảng", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_menu_link_is_shown_to_exactly_the_roles_its_page_admits()
    {
        var pages = Endpoints.Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true && e.Metadata.GetMetadata<PageEndpointMetadata>() is not null).ToList();
        foreach (var item in OfficeMenu.Items)
        {
            var page = pages.Single(e => "/" + e.RoutePattern.RawText!.Trim('/') == item.Url.TrimEnd('/'));
            Assert.Equal(page.Metadata.GetMetadata<OfficeAccess>()!.Roles.Order(), item.Roles.Order());
        }
    }

    [Theory]
    [InlineData(OfficeRole.QuanTri, "/office/accounts", new[] { "Nhật ký", "Tài khoản cán bộ" })]
    [InlineData(OfficeRole.VanPhong, "/office", new[] { "Theo dõi công văn", "Tạo công văn", "Đơn vị", "Kết quả đơn vị", "Báo cáo", "Thư đã gửi", "Lịch làm việc" })]
    [InlineData(OfficeRole.BanXayDungDang, "/office/error-reports", new[] { "Phản ánh sai sót", "Dữ liệu đảng viên" })]
    [InlineData(OfficeRole.ThuongTruc, "/office", new[] { "Theo dõi công văn", "Kết quả đơn vị", "Báo cáo", "Nhật ký" })]
    public async Task A_person_signs_in_to_the_home_of_their_role_and_its_menu_shows_only_what_the_role_opens(OfficeRole role, string home, string[] menu)
    {
        var name = await _app.AddAccountAsync("cb-" + OfficeRoles.Code(role), role);
        var person = new Visitor();
        using var page = await person.SendAsync(_http, HttpMethod.Get, "office/login");
        using var signIn = await person.SendAsync(_http, HttpMethod.Post, "office/login", new() { ["csrf"] = person.FormToken!, ["name"] = name, ["password"] = HandlerApp.Password, ["returnUrl"] = "/office" });
        Assert.Equal(home, signIn.Headers.Location!.OriginalString);

        using var landing = await person.SendAsync(_http, HttpMethod.Get, home.TrimStart('/'));
        var html = await landing.Content.ReadAsStringAsync(Ct);
        var nav = html[html.IndexOf("<nav", StringComparison.Ordinal)..html.IndexOf("</nav>", StringComparison.Ordinal)];
        var links = System.Text.RegularExpressions.Regex.Matches(nav, "<a href=\"(/office[^\"]*)\">([^<]+)</a>").Select(m => m.Groups[2].Value).ToList();

        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Equal(menu, links);
        Assert.Contains("Cán bộ " + name, nav, StringComparison.Ordinal);
    }

    private static string Name(Endpoint e) => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.DisplayName ?? "?";

    private static string Describe(RouteEndpoint e) =>
        $"{string.Join("/", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} /{e.RoutePattern.RawText?.TrimStart('/')} ({Name(e)})";

    /// <summary>The endpoint called as a program with <paramref name="key"/>: its route with every parameter filled, the representation it serves, an empty body of its kind.</summary>
    private Task<HttpResponseMessage> CallAsync(RouteEndpoint endpoint, string key)
    {
        var path = string.Join('/', endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => "x",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
            _ => string.Empty,
        }))));
        var method = new HttpMethod(endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0]);
        var page = endpoint.Metadata.GetMetadata<PageEndpointMetadata>() is not null;
        var accepts = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes ?? [];
        var body = method == HttpMethod.Get ? null
            : accepts.Contains("application/x-www-form-urlencoded") || (page && accepts.Count == 0) ? "form"
            : accepts.Count > 0 ? accepts[0] : "application/json";
        return SendAsync(method, path, key, page ? "text/html" : "application/json", body);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, string accept, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add(OfficeAuthentication.HeaderName, key);
        request.Headers.Accept.ParseAdd(accept);
        request.Content = body switch
        {
            null => null,
            "form" => new FormUrlEncodedContent(new Dictionary<string, string>()),
            "application/json" => new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
            _ => new StringContent(string.Empty, System.Text.Encoding.UTF8, body),
        };
        return await _http.SendAsync(request, Ct);
    }
}
