using System.Net;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

public sealed class OpenApiTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly HandlerApp _app = new(storage.ConnectionString, StorageFixture.NewPrefix());
    private JsonDocument _document = null!;

    public async ValueTask InitializeAsync()
    {
        using var client = _app.Start();
        using var response = await client.GetAsync(new Uri("api/openapi.json", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        _document.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public void The_openapi_document_is_served_at_api_openapi_json_without_the_hosts_invocation_endpoints()
    {
        Assert.StartsWith("3.", _document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = _document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain("/CheckDeadlines", paths);
        Assert.DoesNotContain("/ImportStatistics", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/office", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_operation_describes_its_request_body_and_every_response_with_a_schema()
    {
        var missing = new List<string>();
        foreach (var path in _document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (operation.Value.TryGetProperty("requestBody", out var body))
                {
                    missing.AddRange(WithoutSchema(body).Select(c => $"{name} request {c}"));
                }

                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToList();
                if (!responses.Any(r => r.Name.StartsWith('2')))
                {
                    missing.Add($"{name}: no success response");
                }

                foreach (var response in responses)
                {
                    missing.AddRange(WithoutSchema(response.Value).Select(c => $"{name} {response.Name} {c}"));
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void Enums_go_over_the_wire_by_their_kebab_case_names()
    {
        var schemas = _document.RootElement.GetProperty("components").GetProperty("schemas");

        Assert.Equal(["pending", "submitted-on-time", "submitted-late", "overdue"], schemas.GetProperty("AssignmentState").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["in-progress", "done"], schemas.GetProperty("SubmissionStatus").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    /// <summary>The content types of a request body or response that carry no schema (or "no content" when there is none at all).</summary>
    private static IEnumerable<string> WithoutSchema(JsonElement element)
    {
        if (!element.TryGetProperty("content", out var content))
        {
            yield return "(no content)";
            yield break;
        }

        foreach (var type in content.EnumerateObject())
        {
            if (!type.Value.TryGetProperty("schema", out _))
            {
                yield return type.Name;
            }
        }
    }
}
