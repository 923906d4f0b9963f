using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Functions.Features.CheckDeadlines;
using ServerlessWorkflow.Functions.Features.Statistics;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.LocalTriggers;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>The function.json files in the repository agree with the code that serves them.</summary>
public sealed class FunctionManifestTests(StorageFixture storage)
{
    private static readonly IReadOnlyList<FunctionDefinition> Functions = FunctionManifest.Discover(Repository.Root);

    [Fact]
    public void The_repository_declares_the_functions_others_call_by_name()
    {
        var names = Functions.Select(f => f.Name).ToList();

        Assert.Contains("Health", names);
        Assert.Contains(CheckDeadlinesFunction.FunctionName, names);
        Assert.Contains(ImportStatisticsFunction.FunctionName, names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void CheckDeadlines_is_a_timer_with_a_six_field_schedule_and_the_binding_name_its_code_reads()
    {
        var function = Functions.Single(f => f.Name == CheckDeadlinesFunction.FunctionName);

        Assert.True(function.IsTimer);
        Assert.Equal(CheckDeadlinesFunction.BindingName, function.Trigger.Name);
        Assert.Equal(6, function.Trigger.Schedule!.Split(' ').Length);
        var schedule = TimerSchedule.Parse(function.Trigger.Schedule);
        var start = new DateTimeOffset(2026, 2, 25, 16, 58, 0, TimeSpan.Zero);
        Assert.Equal(start.AddMinutes(2), schedule.NextAfter(start));
    }

    [Fact]
    public void ImportStatistics_is_a_binary_blob_trigger_on_uploads_with_the_binding_name_its_code_reads()
    {
        var function = Functions.Single(f => f.Name == ImportStatisticsFunction.FunctionName);

        Assert.True(function.IsBlob);
        Assert.Equal(ImportStatisticsFunction.BindingName, function.Trigger.Name);
        Assert.Equal("binary", function.Trigger.DataType);
        Assert.Equal(new BlobPathPattern(ServerlessWorkflow.Domain.Statistics.Upload.Container, "", "name", ""), BlobPathPattern.Parse(function.Trigger.Path!));
    }

    [Fact]
    public void Every_http_function_is_served_by_an_endpoint_with_its_route_and_methods_and_every_trigger_function_has_its_invocation_endpoint()
    {
        using var app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        app.Start().Dispose();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        foreach (var function in Functions)
        {
            if (function.IsHttp)
            {
                var route = "/" + function.Trigger.Route!.TrimStart('/');
                var served = endpoints.Where(e => Normalize(e.RoutePattern.RawText) == Normalize(route)).ToList();
                Assert.True(served.Count > 0, $"No endpoint serves {function.Name}'s route {route}.");
                var methods = served.SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "PUT", "DELETE", "PATCH"]);
                Assert.All(function.Trigger.Methods, m => Assert.Contains(m.ToUpperInvariant(), methods));
            }
            else
            {
                Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/" + function.Name && e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Contains("POST"));
            }
        }
    }

    [Fact]
    public void Http_functions_forward_requests_so_each_has_only_an_http_trigger_and_an_http_output()
    {
        Assert.All(Functions.Where(f => f.IsHttp), f =>
        {
            Assert.Equal(2, f.Bindings.Count);
            Assert.Contains(f.Bindings, b => b.Type == "http" && b.Direction == "out");
            Assert.DoesNotMatch("^/", f.Trigger.Route!); // host.json sets routePrefix "", so routes carry their own prefix (api/, u/, or a page)
        });
    }

    [Theory]
    [InlineData("uploads/{name}", "d1/u7/a.xlsx", "d1/u7/a.xlsx")]
    [InlineData("uploads/in/{name}.xlsx", "in/x.xlsx", "x")]
    [InlineData("uploads/in/{name}.xlsx", "out/x.xlsx", null)]
    [InlineData("uploads/in/{name}.xlsx", "in/x.csv", null)]
    public void A_blob_path_pattern_matches_the_blobs_under_it_and_gives_the_variable(string path, string blobName, string? expected)
    {
        Assert.Equal(expected, BlobPathPattern.Parse(path).Match(blobName));
    }

    [Fact]
    public void Two_functions_with_the_same_name_are_refused()
    {
        var root = Directory.CreateTempSubdirectory("dupes-").FullName;
        try
        {
            foreach (var parent in new[] { "a", "b" })
            {
                Directory.CreateDirectory(Path.Combine(root, parent, "Same"));
                File.WriteAllText(Path.Combine(root, parent, "Same", "function.json"), """{"bindings": [{"type": "timerTrigger", "name": "t", "schedule": "0 * * * * *"}]}""");
            }

            var error = Assert.Throws<InvalidOperationException>(() => FunctionManifest.Discover(root));
            Assert.Contains("Same", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Normalize(string? route) => (route ?? string.Empty).TrimEnd('/').ToUpperInvariant();
}
