using System.Net;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

public sealed class OpenApiTests(StorageFixture storage)
{
    [Fact]
    public async Task The_openapi_document_is_served_at_api_openapi_json_without_the_hosts_invocation_endpoints()
    {
        await using var app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        using var client = app.Start();

        using var response = await client.GetAsync(new Uri("api/openapi.json", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain("/CheckDeadlines", paths);
        Assert.DoesNotContain("/ImportStatistics", paths);
    }
}
