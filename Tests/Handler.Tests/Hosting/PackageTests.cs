using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ServerlessWorkflow.Functions.Hosting;
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
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "host.json")));
        var executable = Path.Combine(_output, host.RootElement.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString()!);
        var port = FreePort.Next();
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = _output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["FUNCTIONS_WORKER_RUNTIME"] = "Custom",
                ["AzureWebJobsStorage"] = storage.ConnectionString,
                ["Storage__Prefix"] = StorageFixture.NewPrefix(),
            },
        };
        using var handler = Process.Start(start)!;
        handler.BeginOutputReadLine();
        handler.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            HttpStatusCode? status = null;
            Assert.True(await Eventually.TrueAsync(
                () =>
                {
                    try
                    {
                        using var response = client.GetAsync(new Uri("api/health", UriKind.Relative)).GetAwaiter().GetResult();
                        status = response.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                    }

                    return status == HttpStatusCode.OK;
                },
                TimeSpan.FromSeconds(30)), $"last status: {status}");
        }
        finally
        {
            handler.Kill(entireProcessTree: true);
            await handler.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
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
