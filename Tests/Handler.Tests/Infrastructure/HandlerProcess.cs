using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>
/// The handler as the Functions host runs it: a separate process (<c>dotnet ServerlessWorkflow.Functions.dll</c>
/// from Functions/bin, built with the tests) on a free <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, configured
/// by environment variables only. Unlike <see cref="HandlerApp"/> it can be killed as a crash kills it.
/// </summary>
public sealed class HandlerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private HandlerProcess(Process process, int port, ConcurrentQueue<string> output)
    {
        _process = process;
        Port = port;
        _output = output;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>What the process wrote to stdout and stderr, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the handler with <paramref name="environment"/> (names as the host sets them, e.g. <c>SendGrid__Host</c>) and waits until /api/health answers 200.</summary>
    public static Task<HandlerProcess> StartAsync(IReadOnlyDictionary<string, string> environment) =>
        StartAsync(HandlerDll(), environment);

    /// <summary>Starts the executable of a package built by scripts/package.sh, from the package's root, as the Functions host does (host.json's <c>defaultExecutablePath</c>).</summary>
    public static Task<HandlerProcess> StartPackageAsync(string packageDirectory, IReadOnlyDictionary<string, string> environment)
    {
        using var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(packageDirectory, "host.json")));
        var executable = host.RootElement.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
        return StartAsync(new ProcessStartInfo(Path.Combine(packageDirectory, executable)) { WorkingDirectory = packageDirectory }, environment);
    }

    /// <summary>
    /// Starts the handler and waits for it to stop by itself, as it does when its settings refuse the start:
    /// its exit code and everything it wrote. Throws if it is still running after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunUntilItStopsAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var (process, output) = Launch(HandlerDll(), FreePort.Next(), environment);
        using (process)
        {
            using var waited = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(waited.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"The handler was still running after {timeout}:\n{string.Join('\n', output)}");
            }

            process.WaitForExit(); // the last lines of output are read before this returns
            return (process.ExitCode, string.Join('\n', output));
        }
    }

    private static ProcessStartInfo HandlerDll()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var dll = Repository.PathOf("Functions", "bin", configuration, "net10.0", "ServerlessWorkflow.Functions.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"No handler at {dll}: build Tests/Handler.Tests (it builds Functions) first.");
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        return start;
    }

    private static (Process Process, ConcurrentQueue<string> Output) Launch(ProcessStartInfo start, int port, IReadOnlyDictionary<string, string> environment)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "Custom";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new ConcurrentQueue<string>();
        var process = Process.Start(start) ?? throw new InvalidOperationException("The handler did not start.");
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    private static async Task<HandlerProcess> StartAsync(ProcessStartInfo start, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort.Next();
        var (process, output) = Launch(start, port, environment);
        var handler = new HandlerProcess(process, port, output);
        using var client = handler.CreateClient();
        var healthy = await Eventually.TrueAsync(
            () =>
            {
                if (process.HasExited)
                {
                    return true;
                }

                try
                {
                    using var response = client.GetAsync(new Uri("api/health", UriKind.Relative)).GetAwaiter().GetResult();
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60));
        if (!healthy || process.HasExited)
        {
            await handler.DisposeAsync();
            throw new InvalidOperationException($"The handler did not become healthy on port {port}:\n{handler.Output}");
        }

        return handler;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>SIGKILL, process tree and all: no shutdown code runs, nothing is flushed or released.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
