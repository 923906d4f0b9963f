using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ServerlessWorkflow.Functions.Hosting.Invocations;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>
/// Test functions the local trigger host fires: a script root of their own (host.json plus one
/// folder per function.json) and endpoints that record every invocation, read with the same
/// contract classes the real functions use.
/// </summary>
public sealed class ProbeFunctions : IStartupFilter, IDisposable
{
    public const string BlobFunction = "ProbeBlob";
    public const string TimerFunction = "ProbeTimer";
    public const string Container = "probe";

    private readonly ConcurrentQueue<BlobTriggerInput> _blobs = new();
    private readonly ConcurrentQueue<TimerTriggerInput> _timers = new();

    public ProbeFunctions(string timerSchedule = "*/1 * * * * *")
    {
        ScriptRoot = Directory.CreateTempSubdirectory("scriptroot-").FullName;
        File.WriteAllText(Path.Combine(ScriptRoot, "host.json"), """{"version": "2.0"}""");
        Write(BlobFunction, $$"""{"bindings": [{"type": "blobTrigger", "direction": "in", "name": "input", "path": "{{Container}}/{name}", "dataType": "binary"}]}""");
        Write(TimerFunction, $$"""{"bindings": [{"type": "timerTrigger", "direction": "in", "name": "tick", "schedule": "{{timerSchedule}}"}]}""");
    }

    public string ScriptRoot { get; }

    /// <summary>When true for a blob name, the probe answers 500, as a failing function would.</summary>
    public Func<string, bool> Fails { get; set; } = _ => false;

    public IReadOnlyList<BlobTriggerInput> Blobs => [.. _blobs];

    public IReadOnlyList<TimerTriggerInput> Timers => [.. _timers];

    public int BlobCount(string name) => _blobs.Count(b => b.Name == name);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (!HttpMethods.IsPost(context.Request.Method))
            {
                await nextMiddleware(context);
                return;
            }

            var path = context.Request.Path.Value;
            if (path == "/" + BlobFunction)
            {
                var request = await InvocationRequest.ReadAsync(context.Request.Body, context.RequestAborted);
                var blob = BlobTriggerInput.From(request, "input");
                _blobs.Enqueue(blob);
                context.Response.StatusCode = Fails(blob.Name) ? 500 : 200;
                await context.Response.WriteAsJsonAsync(InvocationResponse.Completed);
            }
            else if (path == "/" + TimerFunction)
            {
                var request = await InvocationRequest.ReadAsync(context.Request.Body, context.RequestAborted);
                _timers.Enqueue(TimerTriggerInput.From(request, "tick"));
                await context.Response.WriteAsJsonAsync(InvocationResponse.Completed);
            }
            else
            {
                await nextMiddleware(context);
            }
        });
        next(app);
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(ScriptRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Write(string function, string json)
    {
        var folder = Path.Combine(ScriptRoot, function);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "function.json"), json);
    }
}
