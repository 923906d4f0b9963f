using System.Net.Http.Json;
using System.Text.Json;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>Calls the handler as the office does (X-Office-Key) and sets up units and directives for end-to-end tests.</summary>
public sealed class OfficeClient(HttpClient http)
{
    public HttpClient Http => http;

    public static HttpRequestMessage Request(HttpMethod method, string path, object? json = null, string? key = HandlerApp.OfficeKey)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add("X-Office-Key", key);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null, string? key = HandlerApp.OfficeKey)
    {
        using var request = Request(method, path, json, key);
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Posts <paramref name="file"/> as the multipart field <c>file</c>, as the office (or, with <paramref name="key"/> null, anyone), asking for JSON.</summary>
    public async Task<HttpResponseMessage> SendFileAsync(string path, byte[] file, string name = "bao-cao.xlsx", string? key = HandlerApp.OfficeKey)
    {
        using var request = Request(HttpMethod.Post, path, null, key);
        request.Content = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name } };
        request.Headers.Accept.ParseAdd("application/json");
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task PutUnitAsync(string id, string name, int level, string? parent)
    {
        using var response = await SendAsync(HttpMethod.Put, $"api/units/{id}", new { name, level, parentId = parent, email = $"{id}@example.invalid" });
        Assert.True(response.IsSuccessStatusCode, $"PUT unit {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    /// <summary>A small tree: a level-1 committee, two level-2 units, a level-4 cell under the first.</summary>
    public async Task SeedUnitsAsync()
    {
        await PutUnitAsync("dang-uy", "Đảng ủy UBND tỉnh", 1, null);
        await PutUnitAsync("dang-bo-a", "Đảng bộ Sở Tài chính", 2, "dang-uy");
        await PutUnitAsync("chi-bo-b", "Chi bộ Văn phòng", 2, "dang-uy");
        await PutUnitAsync("chi-bo-a1", "Chi bộ Phòng Tổng hợp", 4, "dang-bo-a");
    }

    /// <summary>Registers a directive and returns its JSON (id, tasks, links).</summary>
    public async Task<JsonElement> RegisterAsync(string deadline = "2099-12-31", params string[] units)
    {
        using var response = await SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "643-CV/ĐU",
            issuedOn = "2026-02-05",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Triển khai dịch vụ công của Đảng",
            tasks = new object[]
            {
                new { title = "Gửi danh sách cán bộ quản trị", kind = "confirmation", deadline, units = units.Length > 0 ? units : ["dang-bo-a", "chi-bo-b"] },
            },
        });
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string TokenFor(JsonElement registered, string unitId)
    {
        var url = registered.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("unitId").GetString() == unitId).GetProperty("url").GetString()!;
        return url[(url.IndexOf("/u/", StringComparison.Ordinal) + 3)..];
    }
}
