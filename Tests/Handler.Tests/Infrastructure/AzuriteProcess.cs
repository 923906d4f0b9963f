using System.Diagnostics;
using System.Net.Sockets;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>
/// A real Azurite (installed by the project's scripts under node_modules) on free loopback ports,
/// in memory. It can be stopped and started again on the same ports, to test what the handler
/// does while storage is away, or paused (SIGSTOP: connections are accepted by the kernel, nothing
/// answers) to test storage that hangs instead of refusing. A paused Azurite is always resumed:
/// by the handle <see cref="PauseAsync"/> returns, and by <see cref="DisposeAsync"/> whatever the test did.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string _workspace = Directory.CreateTempSubdirectory("azurite-").FullName;
    private readonly bool _persistent;
    private Process? _process;
    private bool _paused;

    private AzuriteProcess(bool persistent)
    {
        _persistent = persistent;
        BlobPort = FreePort.Next();
        QueuePort = FreePort.Next();
        TablePort = FreePort.Next();
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>Starts Azurite; <paramref name="persistent"/> keeps its data on disk, so a restart keeps tables and blobs as real storage would.</summary>
    public static async Task<AzuriteProcess> StartAsync(bool persistent = false)
    {
        var azurite = new AzuriteProcess(persistent);
        await azurite.StartAgainAsync();
        return azurite;
    }

    public async Task StartAgainAsync()
    {
        var executable = Repository.PathOf("node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run scripts/test.sh (or npm ci) first.");
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _workspace,
        };
        foreach (var arg in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (_persistent)
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(_workspace);
        }
        else
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Freezes Azurite (SIGSTOP): its ports still accept connections, but no request is answered —
    /// storage that hangs. Dispose the handle to resume it (SIGCONT); <see cref="DisposeAsync"/>
    /// resumes it too, so a failing test never leaves it frozen.
    /// </summary>
    public async Task<IAsyncDisposable> PauseAsync()
    {
        var process = _process is { HasExited: false } p ? p : throw new InvalidOperationException("Azurite is not running.");
        await SignalAsync(process, "-STOP");
        _paused = true;
        return new Resumer(this);
    }

    /// <summary>Lets a paused Azurite run again (SIGCONT); nothing when it is not paused.</summary>
    public async Task ResumeAsync()
    {
        if (_paused && _process is { HasExited: false } process)
        {
            await SignalAsync(process, "-CONT");
        }

        _paused = false;
    }

    /// <summary>Kills Azurite at once, as a crash would.</summary>
    public async Task KillAsync()
    {
        await ResumeAsync();
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Stops Azurite as an orderly shutdown does (SIGTERM), so a persistent instance flushes its data first.</summary>
    public async Task StopAsync()
    {
        await ResumeAsync();
        if (_process is { HasExited: false } process)
        {
            await SignalAsync(process, "-TERM");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await KillAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_workspace, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (true)
            {
                if (_process is null || _process.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {_process?.ExitCode} before listening on {port}.");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
        }
    }

    private sealed class Resumer(AzuriteProcess azurite) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await azurite.ResumeAsync();
    }
}
