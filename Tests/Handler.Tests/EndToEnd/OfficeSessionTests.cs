using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OtpNet;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Functions.Features.Directives;
using ServerlessWorkflow.Functions.Features.OfficeLogin;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// The office's session over real HTTP, with named accounts: sign-in with a name, a password and the
/// form's token, the cookie's attributes, CSRF refusals on every office form (and on
/// cookie-authenticated API posts), requests from another site, lockout after wrong passwords, the
/// TOTP second step, disabled and reset accounts ending sessions, and the return address after
/// sign-in. Cookies are handled by hand so that each request says exactly what it carries.
/// </summary>
public sealed class OfficeSessionTests(StorageFixture storage) : IAsyncLifetime
{
    private HandlerApp _app = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        _app.Start().Dispose();
        _http = Visitor.Client(_app.BaseAddress);
        await new OfficeClient(_http).SeedUnitsAsync();
        await _app.AddAccountAsync("vanphong", OfficeRole.VanPhong);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private Task<HttpResponseMessage> SendAsync(Visitor visitor, HttpMethod method, string path, Dictionary<string, string>? form = null) =>
        visitor.SendAsync(_http, method, path, form);

    private async Task<Visitor> SignedInAsync(string name = "vanphong")
    {
        var visitor = new Visitor();
        await visitor.SignInAsync(_http, name);
        return visitor;
    }

    private Task<HttpResponseMessage> SignInFormAsync(Visitor visitor, string name, string password, string returnUrl = "/office") =>
        SendAsync(visitor, HttpMethod.Post, "office/login", new() { ["csrf"] = visitor.FormToken!, ["name"] = name, ["password"] = password, ["returnUrl"] = returnUrl });

    private static Dictionary<string, string> NewDirective(string? token)
    {
        var form = new Dictionary<string, string>
        {
            ["action"] = "create",
            ["number"] = "12-CV/ĐU",
            ["issuedOn"] = "05/02/2026",
            ["issuer"] = "Văn phòng Đảng ủy",
            ["subject"] = "Rà soát tài khoản",
            ["tasks[0].title"] = "Rà soát tài khoản ngân hàng",
            ["tasks[0].kind"] = "confirmation",
            ["tasks[0].deadline"] = "Trước ngày 26/12/2099",
            ["tasks[0].units"] = "dang-bo-a",
        };
        if (token is not null)
        {
            form["csrf"] = token;
        }

        return form;
    }

    private async Task<int> DirectiveCountAsync()
    {
        using var response = await new OfficeClient(_http).SendAsync(HttpMethod.Get, "api/directives");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetArrayLength();
    }

    [Fact]
    public async Task An_office_page_sends_a_browser_to_sign_in_and_answers_a_program_401()
    {
        using var browser = await SendAsync(new Visitor(), HttpMethod.Get, "office/directives/new");
        Assert.Equal(HttpStatusCode.Redirect, browser.StatusCode);
        Assert.Equal("/office/login?ReturnUrl=%2Foffice%2Fdirectives%2Fnew", browser.Headers.Location!.PathAndQuery);

        using var program = await _http.GetAsync(new Uri("office", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, program.StatusCode);
    }

    [Fact]
    public async Task Signing_in_sets_an_HttpOnly_SameSite_Strict_session_cookie_that_opens_the_dashboard()
    {
        var visitor = new Visitor();
        using var page = await SendAsync(visitor, HttpMethod.Get, "office/login");
        using var signIn = await SignInFormAsync(visitor, "VanPhong ", HandlerApp.Password, "/office/outbox");

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/office/outbox", signIn.Headers.Location!.OriginalString);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("office=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var dashboard = await SendAsync(visitor, HttpMethod.Get, "office");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Công văn đang theo dõi", await dashboard.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_HTTPS_as_the_host_forwards_it_the_session_cookie_is_also_Secure()
    {
        var visitor = new Visitor();
        using var page = await SendAsync(visitor, HttpMethod.Get, "office/login");
        using var request = visitor.Request(HttpMethod.Post, "office/login", new() { ["csrf"] = visitor.FormToken!, ["name"] = "vanphong", ["password"] = HandlerApp.Password });
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var signIn = await _http.SendAsync(request, Ct);

        Assert.Contains("secure", signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("office=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Signing_in_without_the_login_forms_token_is_refused_and_starts_no_session()
    {
        var visitor = new Visitor();
        using var signIn = await SendAsync(visitor, HttpMethod.Post, "office/login", new() { ["name"] = "vanphong", ["password"] = HandlerApp.Password });

        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Contains("Biểu mẫu đã hết hạn", await signIn.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(visitor.Cookies.ContainsKey("office"));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_alike_for_unknown_names_and_five_in_a_row_lock_the_account_even_against_the_right_one()
    {
        var visitor = new Visitor();
        using var page = await SendAsync(visitor, HttpMethod.Get, "office/login");
        using var unknown = await SignInFormAsync(visitor, "khong-co-ai", HandlerApp.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var unknownText = await unknown.Content.ReadAsStringAsync(Ct);
        for (var i = 0; i < AccountDesk.MaxFailures - 1; i++)
        {
            using var wrong = await SignInFormAsync(visitor, "vanphong", "doan-sai-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Tên đăng nhập hoặc mật khẩu không đúng", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Contains("Tên đăng nhập hoặc mật khẩu không đúng", unknownText, StringComparison.Ordinal);
        using var fifth = await SignInFormAsync(visitor, "vanphong", "doan-sai-cuoi");
        using var right = await SignInFormAsync(visitor, "vanphong", HandlerApp.Password);

        Assert.Equal(HttpStatusCode.Forbidden, fifth.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
        Assert.Contains("Tài khoản tạm khóa đến", await right.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(visitor.Cookies.ContainsKey("office"));
        using var all = await new OfficeClient(_http).SendAsync(HttpMethod.Get, "api/audit");
        Assert.Contains("\"action\":\"account-locked-out\"", await all.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_with_a_second_factor_signs_in_only_with_a_fresh_code_after_the_password()
    {
        await _app.AddAccountAsync("thuongtruc", OfficeRole.ThuongTruc);
        var owner = await SignedInAsync("thuongtruc");
        using var account = await SendAsync(owner, HttpMethod.Get, "office/account");
        using var start = await SendAsync(owner, HttpMethod.Post, "office/account", new() { ["csrf"] = owner.FormToken!, ["action"] = "totp-start" });
        var html = await start.Content.ReadAsStringAsync(Ct);
        var secret = System.Text.RegularExpressions.Regex.Match(html, "class=\"secret\">([A-Z2-7 ]+)<").Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal);
        var ticket = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "name=\"ticket\" value=\"([^\"]+)\"").Groups[1].Value);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        using var wrongCode = await SendAsync(owner, HttpMethod.Post, "office/account", new() { ["csrf"] = owner.FormToken!, ["action"] = "totp-confirm", ["ticket"] = ticket, ["code"] = "000000" == totp.ComputeTotp() ? "111111" : "000000" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongCode.StatusCode);
        using var confirm = await SendAsync(owner, HttpMethod.Post, "office/account", new() { ["csrf"] = owner.FormToken!, ["action"] = "totp-confirm", ["ticket"] = ticket, ["code"] = totp.ComputeTotp() });
        Assert.Equal(HttpStatusCode.SeeOther, confirm.StatusCode);

        // Next time: the password alone opens no session; a wrong code neither; the code from the app does, once.
        var visitor = new Visitor();
        using var page = await SendAsync(visitor, HttpMethod.Get, "office/login");
        using var password = await SignInFormAsync(visitor, "thuongtruc", HandlerApp.Password);
        var step = await password.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, password.StatusCode);
        Assert.Contains("Mã xác thực", step, StringComparison.Ordinal);
        Assert.False(visitor.Cookies.ContainsKey("office"));
        var codeTicket = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(step, "name=\"ticket\" value=\"([^\"]+)\"").Groups[1].Value);
        using var bad = await SendAsync(visitor, HttpMethod.Post, "office/login/code", new() { ["csrf"] = visitor.FormToken!, ["ticket"] = codeTicket, ["code"] = "12345" });
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        using var forged = await SendAsync(visitor, HttpMethod.Post, "office/login/code", new() { ["csrf"] = visitor.FormToken!, ["ticket"] = "gia-mao", ["code"] = totp.ComputeTotp() });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(visitor.Cookies.ContainsKey("office"));

        // The code of the step just used at enrolment is spent: wait for the next one.
        var next = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        using var good = await SendAsync(visitor, HttpMethod.Post, "office/login/code", new() { ["csrf"] = visitor.FormToken!, ["ticket"] = codeTicket, ["code"] = next, ["returnUrl"] = "/office" });
        Assert.Equal(HttpStatusCode.SeeOther, good.StatusCode);
        Assert.True(visitor.Cookies.ContainsKey("office"));
        using var replay = await SendAsync(new Visitor { FormToken = visitor.FormToken, Cookies = { ["office-csrf"] = visitor.Cookies["office-csrf"] } }, HttpMethod.Post, "office/login/code", new() { ["csrf"] = visitor.FormToken!, ["ticket"] = codeTicket, ["code"] = next });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
    }

    [Fact]
    public async Task Disabling_or_resetting_an_account_ends_its_open_sessions_at_once_and_a_reset_asks_for_a_new_password()
    {
        await _app.AddAccountAsync("quantri", OfficeRole.QuanTri);
        var admin = await SignedInAsync("quantri");
        var clerk = await SignedInAsync();
        using (var open = await SendAsync(clerk, HttpMethod.Get, "office"))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        using var accounts = await SendAsync(admin, HttpMethod.Get, "office/accounts");
        using var reset = await SendAsync(admin, HttpMethod.Post, "office/accounts/vanphong", new() { ["csrf"] = admin.FormToken!, ["action"] = "reset" });
        var html = await reset.Content.ReadAsStringAsync(Ct);
        var temporary = System.Text.RegularExpressions.Regex.Match(html, "class=\"secret\">([a-z0-9-]+)<").Groups[1].Value;
        using var ended = await SendAsync(clerk, HttpMethod.Get, "office");

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Matches("^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$", temporary);
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Contains("/office/login", ended.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // The temporary password opens only the own-account page until a new one is chosen.
        var again = new Visitor();
        using var page = await SendAsync(again, HttpMethod.Get, "office/login");
        using var signIn = await SignInFormAsync(again, "vanphong", temporary);
        Assert.Equal("/office/account", signIn.Headers.Location!.OriginalString);
        using var board = await SendAsync(again, HttpMethod.Get, "office/directives/new");
        Assert.Equal("/office/account", board.Headers.Location!.OriginalString);
        using var mine = await SendAsync(again, HttpMethod.Get, "office/account");
        using var changed = await SendAsync(again, HttpMethod.Post, "office/account", new() { ["csrf"] = again.FormToken!, ["action"] = "password", ["currentPassword"] = temporary, ["newPassword"] = "mat-khau-moi-cua-toi", ["repeatPassword"] = "mat-khau-moi-cua-toi" });
        Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
        using var works = await SendAsync(again, HttpMethod.Get, "office/directives/new");
        Assert.Equal(HttpStatusCode.OK, works.StatusCode);

        // Disabled: the session ends and the right password no longer signs in.
        using var list = await SendAsync(admin, HttpMethod.Get, "office/accounts");
        using var disable = await SendAsync(admin, HttpMethod.Post, "office/accounts/vanphong", new() { ["csrf"] = admin.FormToken!, ["action"] = "disable" });
        Assert.Equal(HttpStatusCode.SeeOther, disable.StatusCode);
        using var gone = await SendAsync(again, HttpMethod.Get, "office/directives/new");
        Assert.Equal(HttpStatusCode.Redirect, gone.StatusCode);
        var late = new Visitor();
        using var loginPage = await SendAsync(late, HttpMethod.Get, "office/login");
        using var refused = await SignInFormAsync(late, "vanphong", "mat-khau-moi-cua-toi");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    public async Task A_state_changing_office_request_from_another_site_is_refused_even_with_a_valid_token(string origin)
    {
        var office = await SignedInAsync();
        using var form = await SendAsync(office, HttpMethod.Get, "office/directives/new");
        using var request = office.Request(HttpMethod.Post, "office/directives/new", NewDirective(office.FormToken));
        request.Headers.Add("Origin", origin);
        using var refused = await _http.SendAsync(request, Ct);
        using var byReferer = office.Request(HttpMethod.Post, "office/directives/new", NewDirective(office.FormToken));
        byReferer.Headers.Referrer = new Uri("https://evil.example/trang");
        using var refusedByReferer = await _http.SendAsync(byReferer, Ct);
        using var keyed = OfficeClient.Request(HttpMethod.Post, "api/directives", new { number = "1", issuedOn = "2026-02-05", issuer = "x", subject = "y", tasks = new[] { new { title = "t", kind = "confirmation", deadline = "2099-01-01", units = new[] { "dang-bo-a" } } } });
        keyed.Headers.Add("Origin", origin);
        using var refusedKeyed = await _http.SendAsync(keyed, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("trang web khác", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refusedByReferer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedKeyed.StatusCode);
        Assert.Equal(0, await DirectiveCountAsync());

        using var same = office.Request(HttpMethod.Post, "office/directives/new", NewDirective(office.FormToken));
        same.Headers.Add("Origin", _app.BaseAddress.GetLeftPart(UriPartial.Authority));
        using var accepted = await _http.SendAsync(same, Ct);
        Assert.Equal(HttpStatusCode.SeeOther, accepted.StatusCode);
    }

    [Fact]
    public async Task Signing_in_from_another_site_is_refused()
    {
        var visitor = new Visitor();
        using var page = await SendAsync(visitor, HttpMethod.Get, "office/login");
        using var request = visitor.Request(HttpMethod.Post, "office/login", new() { ["csrf"] = visitor.FormToken!, ["name"] = "vanphong", ["password"] = HandlerApp.Password });
        request.Headers.Add("Origin", "https://evil.example");
        using var refused = await _http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("office=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_signed_in_office_form_without_its_token_or_with_another_visitors_token_changes_nothing()
    {
        var office = await SignedInAsync();
        var stranger = new Visitor();
        using var strangersPage = await SendAsync(stranger, HttpMethod.Get, "office/login");

        using var without = await SendAsync(office, HttpMethod.Post, "office/directives/new", NewDirective(null));
        using var borrowed = await SendAsync(office, HttpMethod.Post, "office/directives/new", NewDirective(stranger.FormToken));

        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, borrowed.StatusCode);
        Assert.Equal(0, await DirectiveCountAsync());
    }

    [Fact]
    public async Task The_same_form_with_its_own_token_creates_the_directive_and_opens_its_board()
    {
        var office = await SignedInAsync();
        using var form = await SendAsync(office, HttpMethod.Get, "office/directives/new");

        using var created = await SendAsync(office, HttpMethod.Post, "office/directives/new", NewDirective(office.FormToken));

        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        Assert.Matches("^/office/directives/d[a-z0-9]+\\?moi=1$", created.Headers.Location!.OriginalString);
        Assert.Equal(1, await DirectiveCountAsync());
    }

    [Fact]
    public async Task An_invalid_directive_form_comes_back_with_each_problem_named_and_what_was_typed_kept()
    {
        var office = await SignedInAsync();
        using var form = await SendAsync(office, HttpMethod.Get, "office/directives/new");
        var typed = NewDirective(office.FormToken);
        typed["tasks[0].deadline"] = "31/02/2026";
        typed["issuedOn"] = "hôm qua";

        using var refused = await SendAsync(office, HttpMethod.Post, "office/directives/new", typed);
        var html = await refused.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Ngày ban hành: Không đọc được ngày ban hành “hôm qua”. Ghi ngày/tháng/năm, ví dụ 05/02/2026.", html, StringComparison.Ordinal);
        Assert.Contains("Nhiệm vụ 1, hạn: Không đọc được hạn “31/02/2026”. Ghi ngày/tháng/năm, ví dụ 25/02/2026", html, StringComparison.Ordinal);
        Assert.Contains(">Rà soát tài khoản ngân hàng</textarea>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"dang-bo-a\" selected", html, StringComparison.Ordinal); // what the clerk chose is kept
        Assert.Equal(0, await DirectiveCountAsync());
    }

    [Fact]
    public async Task The_directive_form_speaks_to_the_clerk_without_formats_for_programs_or_field_names()
    {
        var office = await SignedInAsync();
        using var form = await SendAsync(office, HttpMethod.Get, "office/directives/new");
        var typed = NewDirective(office.FormToken);
        typed["tasks[0].deadline"] = string.Empty;
        typed["tasks[0].kind"] = "statistics";
        typed["tasks[1].title"] = "Gửi danh sách quản trị viên";
        typed["tasks[1].kind"] = "confirmation";
        typed["tasks[1].deadline"] = "sớm";
        typed["issuedOn"] = string.Empty;

        using var refused = await SendAsync(office, HttpMethod.Post, "office/directives/new", typed);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        var errors = html[html.IndexOf("role=\"alert\"", StringComparison.Ordinal)..html.IndexOf("</div>", html.IndexOf("role=\"alert\"", StringComparison.Ordinal), StringComparison.Ordinal)];

        Assert.Contains("Ngày ban hành: Chưa có ngày ban hành. Ghi ngày/tháng/năm, ví dụ 05/02/2026.", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Nhiệm vụ 1, hạn", errors, StringComparison.Ordinal); // no deadline is allowed (issue 16): the task is only tracked
        Assert.Contains("Nhiệm vụ 2, hạn: Không đọc được hạn “sớm”.", errors, StringComparison.Ordinal);
        Assert.Contains("Nhiệm vụ 2, đơn vị: Cần giao nhiệm vụ cho ít nhất một đơn vị.", errors, StringComparison.Ordinal);
        foreach (var developer in new[] { "yyyy", "(API)", "deadline", "issuedOn", "units", "tasks[", "countFrom", "workingDays" })
        {
            Assert.DoesNotContain(developer, errors, StringComparison.Ordinal);
        }

        Assert.Contains("<option value=\"statistics\" selected", html, StringComparison.Ordinal); // the kind chosen is kept
        Assert.Equal(0, await DirectiveCountAsync());
    }

    [Fact]
    public async Task A_cookie_authenticated_post_to_the_API_needs_the_token_too_while_programs_with_the_key_need_none()
    {
        var office = await SignedInAsync();
        using var request = office.Request(HttpMethod.Post, "api/directives");
        request.Content = JsonContent.Create(new { number = "1", issuedOn = "2026-02-05", issuer = "x", subject = "y", tasks = new[] { new { title = "t", kind = "confirmation", deadline = "2099-01-01", units = new[] { "dang-bo-a" } } } });
        using var byCookie = await _http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, byCookie.StatusCode);
        Assert.Equal(0, await DirectiveCountAsync());

        using var byKey = await new OfficeClient(_http).SendAsync(HttpMethod.Post, "api/directives", new { number = "1", issuedOn = "2026-02-05", issuer = "x", subject = "y", tasks = new[] { new { title = "t", kind = "confirmation", deadline = "2099-01-01", units = new[] { "dang-bo-a" } } } });
        Assert.Equal(HttpStatusCode.Created, byKey.StatusCode);
    }

    [Fact]
    public async Task The_token_check_takes_a_form_as_large_as_its_page_takes_a_template_file_and_refuses_beyond_naming_the_limit()
    {
        var visitor = await SignedInAsync();
        using var page = await SendAsync(visitor, HttpMethod.Get, "office/directives/new");

        using var twoMegabytes = await PostTemplateFileAsync(visitor, new byte[2 * 1024 * 1024]);
        using var twelveMegabytes = await PostTemplateFileAsync(visitor, new byte[12 * 1024 * 1024]);

        // 2 MB is within the form's own limit (the directive and two template files): read, and the file refused for what it is.
        Assert.Equal(HttpStatusCode.BadRequest, twoMegabytes.StatusCode);
        Assert.Contains("Tệp không phải bảng tính Excel (.xlsx)", await twoMegabytes.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, twelveMegabytes.StatusCode);
        Assert.Contains($"vượt quá giới hạn {BodyRefusals.Size(DirectivePages.MaxFormBody)}", await twelveMegabytes.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, await DirectiveCountAsync());
    }

    private async Task<HttpResponseMessage> PostTemplateFileAsync(Visitor visitor, byte[] file)
    {
        using var request = visitor.Request(HttpMethod.Post, "office/directives/new");
        var fields = NewDirective(visitor.FormToken);
        fields["action"] = "read-template";
        fields["tasks[0].kind"] = "statistics";
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        form.Add(new ByteArrayContent(file), "tasks[0].templateFile", "mau.xlsx");
        request.Content = form;
        return await _http.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Signing_out_needs_the_token_and_then_ends_the_session()
    {
        var office = await SignedInAsync();
        using var forged = await SendAsync(office, HttpMethod.Post, "office/logout", new());
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var page = await SendAsync(office, HttpMethod.Get, "office");
        using var signOut = await SendAsync(office, HttpMethod.Post, "office/logout", new() { ["csrf"] = office.FormToken! });
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        using var after = await SendAsync(office, HttpMethod.Get, "office");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task The_board_finds_a_unit_typed_without_diacritics()
    {
        var registered = await new OfficeClient(_http).RegisterAsync();
        using var response = await new OfficeClient(_http).SendAsync(HttpMethod.Get, $"office/directives/{registered.GetProperty("id").GetString()}?q=so+tai+chinh");
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var board = $"/office/directives/{registered.GetProperty("id").GetString()}/units/";
        Assert.Contains($"<th scope=\"row\"><a href=\"{board}dang-bo-a\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"<th scope=\"row\"><a href=\"{board}chi-bo-b\"", html, StringComparison.Ordinal);
        Assert.Contains("Hiển thị 1/2 đơn vị.", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/office/outbox", "/office/outbox")]
    [InlineData("/office/directives/dabc?sx=tre", "/office/directives/dabc?sx=tre")]
    [InlineData("https://evil.example/office", "/office")]
    [InlineData("//evil.example/office", "/office")]
    [InlineData("/office//evil.example", "/office")]
    [InlineData("/office\\..\\evil", "/office")]
    [InlineData("/office\r\nSet-Cookie: x=1", "/office")]
    [InlineData("/office/login", "/office")]
    [InlineData("/u/some-token", "/office")]
    [InlineData("", "/office")]
    public void After_sign_in_the_return_address_is_only_ever_an_office_page(string returnUrl, string expected)
    {
        Assert.Equal(expected, OfficeLoginFeature.LocalReturnUrl(returnUrl));
    }
}
