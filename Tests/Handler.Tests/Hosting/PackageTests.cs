using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Tests.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>scripts/package.sh builds a package the Functions host can run as it is (linux-x64, as deployed).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PackageTests(StorageFixture storage, PackageTests.Package package) : IClassFixture<PackageTests.Package>
{
    private readonly string _output = package.Output;

    [Fact]
    public void The_package_host_json_points_at_an_executable_that_exists()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "host.json")));
        var executable = host.RootElement.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
        var path = Path.Combine(_output, executable);

        Assert.True(File.Exists(path), $"{executable} is not in the package");
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{executable} is not executable");
        Assert.True(host.RootElement.GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());
    }

    [Fact]
    public void Every_function_json_in_the_repository_is_in_the_package_beside_host_json()
    {
        var inRepository = FunctionManifest.Discover(Repository.PathOf("Functions"));
        Assert.NotEmpty(inRepository);

        foreach (var function in inRepository)
        {
            var packaged = Path.Combine(_output, function.Name, "function.json");
            Assert.True(File.Exists(packaged), $"{function.Name}/function.json is missing from the package");
            Assert.Equal(File.ReadAllText(Path.Combine(function.Directory, "function.json")), File.ReadAllText(packaged));
        }

        Assert.Equal(inRepository.Select(f => f.Name).Order(), FunctionManifest.Discover(_output).Select(f => f.Name).Order());
    }

    [Fact]
    public async Task The_packaged_handler_started_as_the_host_starts_it_answers_health_on_FUNCTIONS_CUSTOMHANDLER_PORT()
    {
        // StartPackageAsync runs host.json's executable from the package root and waits for a 200 on /api/health.
        await using var handler = await HandlerProcess.StartPackageAsync(_output, new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Storage__Prefix"] = StorageFixture.NewPrefix(),
        });

        using var client = handler.CreateClient();
        using var health = await client.GetAsync(new Uri("api/health", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>
    /// The package is trimmed and compiled ahead of time: what reflection reaches in the build the
    /// other tests run might be gone from it. So the packaged executable goes once through every kind
    /// of work the app does — the OpenAPI document, JSON in and out, a deadline in working days and a
    /// change of the calendar, a unit's page and form, the office's sign-in (Data Protection and its key ring in blob storage), an office page, a
    /// spreadsheet imported by the blob trigger and exported again, the desk's pages with the report
    /// (.docx) and the board (.xlsx) written by the Open XML SDK, a data-error report, and the timer.
    /// </summary>
    [Fact]
    public async Task The_packaged_handler_serves_the_whole_story_as_the_build_the_tests_run_does()
    {
        await using var handler = await HandlerProcess.StartPackageAsync(_output, new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Storage__Prefix"] = StorageFixture.NewPrefix(),
            ["Office__ApiKey"] = HandlerApp.OfficeKey,
            ["Office__FirstAdministrator"] = "quantri",
            ["Office__FirstAdministratorPassword"] = HandlerApp.Password,
            ["Links__SigningKey"] = "test-signing-key-0123456789abcdef",
            ["LocalTriggers__Enabled"] = "true",
            ["LocalTriggers__BlobPollInterval"] = "00:00:00.200",
            ["LocalTriggers__Functions"] = "ImportStatistics",
        });
        using var http = Visitor.Client(handler.BaseAddress);
        var office = new OfficeClient(http);

        using (var openApi = await http.GetAsync(new Uri("api/openapi.json", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
            Assert.True((await openApi.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("paths").EnumerateObject().Any());
        }

        await office.SeedUnitsAsync();
        using var registered = await office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "643-CV/ĐU",
            issuedOn = "2026-02-05",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Triển khai dịch vụ công của Đảng",
            tasks = new object[]
            {
                new { title = "Gửi danh sách cán bộ quản trị", kind = "confirmation", deadline = "05 ngày làm việc kể từ ngày 01/12/2099", units = new[] { "dang-bo-a" } },
                new { title = "Báo cáo thống kê theo mẫu", kind = "statistics", deadline = "2099-12-31", units = new[] { "dang-bo-a" } },
            },
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var directive = await registered.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = directive.GetProperty("id").GetString()!;
        var token = OfficeClient.TokenFor(directive, "dang-bo-a");
        Assert.Equal("2099-12-08", directive.GetProperty("tasks")[0].GetProperty("term").GetProperty("lastDay").GetString());

        // The working-day calendar: a day off added (its store's JSON and transaction), and the deadline in working days follows it.
        using (var calendar = await office.SendAsync(HttpMethod.Put, "api/calendar/2099", new { overrides = new[] { new { date = "2099-12-02", change = "day-off", reason = "Nghỉ thêm" } } }))
        {
            Assert.True(calendar.IsSuccessStatusCode, $"{(int)calendar.StatusCode}: {await calendar.Content.ReadAsStringAsync(Ct)}");
            Assert.Equal("Khóa đặt khi triển khai", (await calendar.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("changedBy").GetString());
        }

        using (var followed = await office.SendAsync(HttpMethod.Get, $"api/directives/{id}"))
        {
            Assert.Equal("2099-12-09", (await followed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("tasks")[0].GetProperty("deadline").GetString());
        }

        // An edit (issue 16): If-Match, a unit given as {"id", "role"} (its converter), a task without a deadline, the history's JSON read back.
        using (var edit = OfficeClient.Request(HttpMethod.Patch, $"api/directives/{id}", new
        {
            reason = "Bổ sung đơn vị phối hợp",
            tasks = new object[] { new { id = "t1", addUnits = new object[] { new { id = "chi-bo-b", role = "phoi-hop" } } } },
            newTasks = new object[] { new { title = "Theo dõi kết quả", kind = "confirmation", units = new object[] { new { id = "dang-bo-a", role = "chu-tri" } } } },
        }))
        {
            edit.Headers.TryAddWithoutValidation("If-Match", "\"r0\"");
            using var edited = await office.Http.SendAsync(edit, Ct);
            Assert.True(edited.IsSuccessStatusCode, $"{(int)edited.StatusCode}: {await edited.Content.ReadAsStringAsync(Ct)}");
        }

        using (var history = await office.SendAsync(HttpMethod.Get, $"api/directives/{id}"))
        {
            var read = await history.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("units-added", read.GetProperty("changes")[0].GetProperty("lines")[0].GetProperty("kind").GetString());
            Assert.Equal(JsonValueKind.Null, read.GetProperty("tasks")[2].GetProperty("deadline").ValueKind);
            Assert.Equal("\"r1\"", history.Headers.ETag?.ToString());
        }

        // The unit's page, a form post (post/redirect/get) and a JSON post.
        using (var page = await SendAsync(http, HttpMethod.Get, $"u/{token}", "text/html"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Gửi danh sách cán bộ quản trị", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var form = await SendAsync(http, HttpMethod.Post, $"u/{token}/tasks/t1", "text/html", new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "in-progress", ["note"] = "Đang lập danh sách" })))
        {
            Assert.Equal(HttpStatusCode.SeeOther, form.StatusCode);
        }

        using (var json = await SendAsync(http, HttpMethod.Post, $"u/{token}/tasks/t1", "application/json", JsonContent.Create(new { status = "done", note = "Đã gửi" })))
        {
            Assert.True(json.IsSuccessStatusCode, $"{(int)json.StatusCode}: {await json.Content.ReadAsStringAsync(Ct)}");
            Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        }

        // The statistics spreadsheet: uploaded, imported by the (locally fired) blob trigger, exported.
        var sample = await File.ReadAllBytesAsync(Repository.SharedSample("bao-cao-thong-ke-vi-du.xlsx"), Ct);
        using (var upload = await SendAsync(http, HttpMethod.Post, $"u/{token}/tasks/t2/statistics", "application/json", new MultipartFormDataContent { { new ByteArrayContent(sample), "file", "bao-cao.xlsx" } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        }

        string? state = null;
        Assert.True(
            await Eventually.TrueAsync(
                () =>
                {
                    using var statistics = office.SendAsync(HttpMethod.Get, $"api/directives/{id}/statistics").GetAwaiter().GetResult();
                    var units = statistics.Content.ReadFromJsonAsync<JsonElement>(Ct).GetAwaiter().GetResult().GetProperty("units");
                    state = units.EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == "dang-bo-a").GetProperty("state").GetString();
                    return state != "missing";
                },
                TimeSpan.FromSeconds(30)),
            $"the upload was not imported: {handler.Output}");
        Assert.Equal("accepted", state);
        using (var export = await office.SendAsync(HttpMethod.Get, $"api/directives/{id}/statistics.xlsx"))
        {
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.Equal("PK"u8.ToArray(), (await export.Content.ReadAsByteArrayAsync(Ct))[..2]);
        }

        // A task on the office's own template (read from its file, not 643's): a wrong file comes back
        // annotated, the office sends the good one for the unit, and the export is the office's file filled.
        using var templateRead = await office.SendFileAsync("api/templates", TemplateFixtures.File(TemplateFixtures.A), "mau.xlsx");
        Assert.Equal(HttpStatusCode.Created, templateRead.StatusCode);
        var templateId = (await templateRead.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        using var ownTemplate = await office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "12-CV/ĐU",
            issuedOn = "2026-02-05",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Báo cáo số lượng đảng viên theo nghề nghiệp",
            tasks = new object[] { new { title = "Báo cáo theo mẫu kèm công văn", kind = "statistics", deadline = "2099-12-31", units = new[] { "dang-bo-a" }, template = templateId, rules = new { totals = true, blanks = "zero" } } },
        });
        Assert.Equal(HttpStatusCode.Created, ownTemplate.StatusCode);
        var second = await ownTemplate.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secondId = second.GetProperty("id").GetString()!;
        var secondToken = OfficeClient.TokenFor(second, "dang-bo-a");
        using (var wrong = await office.SendFileAsync($"u/{secondToken}/tasks/t1/statistics", TemplateFixtures.File("mau-a-sai"), key: null))
        {
            Assert.Equal(HttpStatusCode.Accepted, wrong.StatusCode);
            var wrongId = (await wrong.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("uploadId").GetString();
            Assert.True(await Eventually.TrueAsync(() => StateOf(office, secondId) == "rejected", TimeSpan.FromSeconds(30)), $"the wrong file was not imported: {handler.Output}");
            using var annotated = await http.GetAsync(new Uri($"u/{secondToken}/tasks/t1/statistics/{wrongId}.xlsx", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, annotated.StatusCode);
            Assert.Equal(["C7", "D8", "D9", "E21"], AnnotatedWorkbook.Comments(await annotated.Content.ReadAsByteArrayAsync(Ct)).Keys.Order(StringComparer.Ordinal));
        }

        using (var forUnit = await office.SendFileAsync($"api/directives/{secondId}/statistics/units/dang-bo-a", TemplateFixtures.File("mau-a-dung")))
        {
            Assert.Equal(HttpStatusCode.Accepted, forUnit.StatusCode);
        }

        Assert.True(await Eventually.TrueAsync(() => StateOf(office, secondId) == "accepted", TimeSpan.FromSeconds(30)), $"the good file was not imported: {handler.Output}");
        using (var export = await office.SendAsync(HttpMethod.Get, $"api/directives/{secondId}/statistics.xlsx"))
        {
            var sheets = ServerlessWorkflow.Domain.Statistics.SpreadsheetReader.ReadXlsx(await export.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal(["Tổng hợp", "Theo đơn vị", "Chưa báo cáo"], sheets.Select(s => s.Name));
            Assert.Equal("BÁO CÁO", sheets[0][1, 1]!.Value.Text);
        }


        // The first administrator (from configuration) signs in with the form (antiforgery, Data
        // Protection, Identity's password hasher), adds a clerk with a temporary password and a second
        // factor-free account; the clerk signs in, chooses a password and opens the board.
        var admin = new Visitor();
        await admin.SignInAsync(http, "quantri");
        using (var accounts = await admin.SendAsync(http, HttpMethod.Get, "office/accounts"))
        {
            Assert.Equal(HttpStatusCode.OK, accounts.StatusCode);
        }

        string temporary;
        using (var created = await admin.SendAsync(http, HttpMethod.Post, "office/accounts", new() { ["csrf"] = admin.FormToken!, ["name"] = "vanphong", ["displayName"] = "Văn phòng", ["roles"] = "van-phong" }))
        {
            var html = await created.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            temporary = System.Text.RegularExpressions.Regex.Match(html, "class=\"secret\">([a-z0-9-]+)<").Groups[1].Value;
        }

        var clerk = new Visitor();
        await clerk.SignInAsync(http, "vanphong", temporary);
        using (var mine = await clerk.SendAsync(http, HttpMethod.Get, "office/account"))
        using (var changed = await clerk.SendAsync(http, HttpMethod.Post, "office/account", new() { ["csrf"] = clerk.FormToken!, ["action"] = "password", ["currentPassword"] = temporary, ["newPassword"] = "mat-khau-moi-cua-toi", ["repeatPassword"] = "mat-khau-moi-cua-toi" }))
        {
            Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
        }

        using (var board = await clerk.SendAsync(http, HttpMethod.Get, $"office/directives/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, board.StatusCode);
            Assert.Contains("Đảng bộ Sở Tài chính", await board.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // The office's desk: what the unit sent, the units' records (read models), the follow-up report as a page and
        // as a Word document, the board as a workbook — the Open XML SDK writing them in the trimmed package.
        foreach (var path in new[] { $"office/directives/{id}/units/dang-bo-a", "office/units?tu=209912&den=209912", "office/units/dang-bo-a?tu=209912&den=209912", $"office/directives/{id}/report", "office/reports?tu=209912&den=209912" })
        {
            using var desk = await clerk.SendAsync(http, HttpMethod.Get, path);
            Assert.True(desk.StatusCode == HttpStatusCode.OK, $"{path}: {(int)desk.StatusCode}");
        }

        using (var docx = await clerk.SendAsync(http, HttpMethod.Get, $"office/directives/{id}/report.docx"))
        {
            Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
            using var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync(Ct)), false);
            Assert.Contains("Kết quả thực hiện Công văn số 643-CV/ĐU", document.MainDocumentPart!.Document.Body!.InnerText, StringComparison.Ordinal);
        }

        using (var xlsx = await clerk.SendAsync(http, HttpMethod.Get, $"office/directives/{id}/board.xlsx"))
        {
            Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
            using var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct)), false);
            Assert.Equal(["Theo dõi", "Nhiệm vụ"], workbook.WorkbookPart!.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value!));
        }

        using (var start = await clerk.SendAsync(http, HttpMethod.Post, "office/account", new() { ["csrf"] = clerk.FormToken!, ["action"] = "totp-start" }))
        {
            Assert.Contains("<svg", await start.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // The audit trail recorded it all, and its chains verify.
        using (var verify = await office.SendAsync(HttpMethod.Get, "api/audit/verify"))
        {
            Assert.True((await verify.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("intact").GetBoolean());
        }

        // A member's data-error report, then the timer's run as the host invokes it.
        using (var report = await SendAsync(http, HttpMethod.Post, "api/error-reports", "application/json", JsonContent.Create(new
        {
            memberName = "Nguyễn Văn A",
            unitName = "Chi bộ Văn phòng",
            field = "Ngày vào Đảng",
            currentValue = "01/01/2000",
            correctValue = "02/01/2000",
            contact = "0900000000",
            consent = true,
        })))
        {
            Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        }

        using (var timer = await http.PostAsJsonAsync("CheckDeadlines", InvocationPayloads.ForTimer("CheckDeadlines", "timer", null, DateTimeOffset.UtcNow.AddMinutes(5), false, DateTimeOffset.UtcNow), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, timer.StatusCode);
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The state of dang-bo-a on the directive's statistics task.</summary>
    private static string? StateOf(OfficeClient office, string directiveId)
    {
        using var statistics = office.SendAsync(HttpMethod.Get, $"api/directives/{directiveId}/statistics").GetAwaiter().GetResult();
        var units = statistics.Content.ReadFromJsonAsync<JsonElement>(Ct).GetAwaiter().GetResult().GetProperty("units");
        return units.EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == "dang-bo-a").GetProperty("state").GetString();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string accept, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd(accept);
        return await http.SendAsync(request, Ct);
    }

    /// <summary>The package, built once for all tests of this class.</summary>
    public sealed class Package : IAsyncLifetime
    {
        public string Output { get; } = Path.Combine(Directory.CreateTempSubdirectory("package-").FullName, "package");

        public async ValueTask InitializeAsync()
        {
            var (code, output) = await RunAsync("bash", [Repository.PathOf("scripts", "package.sh"), Output], Repository.Root, []);
            Assert.True(code == 0, $"package.sh failed ({code}):\n{output}");
        }

        public ValueTask DisposeAsync()
        {
            Directory.Delete(Path.GetDirectoryName(Output)!, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string workingDirectory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
