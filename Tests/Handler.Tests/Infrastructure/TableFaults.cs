using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>
/// Storage that fails one chosen write: a policy in the handler's table client (once per call,
/// outside the SDK's retries) that, while armed, counts every write request (insert, upsert, merge,
/// delete, transaction) and fails the <see cref="FailAt"/>-th — before it reaches storage (the write
/// did not happen) or, with <see cref="AfterWrite"/>, once storage has answered (it happened, the
/// answer was lost: a crash right after it). Every write is logged, so a test can count a clean
/// registration's writes and then fail each in turn.
/// </summary>
public sealed class TableFaults : HttpPipelinePolicy
{
    private int _writes;

    /// <summary>Counting starts (from 1) when armed.</summary>
    public bool Armed { get; private set; }

    public int FailAt { get; private set; }

    public bool AfterWrite { get; private set; }

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>How long every write waits before it is sent (slow storage: a request still being answered when the office presses again).</summary>
    public TimeSpan SlowWrites { get; set; }

    /// <summary>Counts writes from now and fails the <paramref name="failAt"/>-th (0: none).</summary>
    public void Arm(int failAt = 0, bool afterWrite = false)
    {
        Log.Clear();
        _writes = 0;
        (FailAt, AfterWrite, Armed) = (failAt, afterWrite, true);
    }

    public void Disarm() => Armed = false;

    /// <summary>Replaces the handler's table client by one with this policy.</summary>
    public void AddTo(IServiceCollection services) =>
        services.AddSingleton(sp =>
        {
            var options = StorageClientPolicy.ForData(new TableClientOptions());
            options.AddPolicy(this, HttpPipelinePosition.PerCall);
            return sp.GetRequiredService<StorageConnection>().CreateTableServiceClient(options);
        });

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var fail = false;
        if (Armed && message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head)
        {
            var n = Interlocked.Increment(ref _writes);
            Log.Enqueue($"{n}: {message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.Path)}");
            fail = n == FailAt;
        }

        if (SlowWrites > TimeSpan.Zero && message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head)
        {
            await Task.Delay(SlowWrites);
        }

        if (fail && !AfterWrite)
        {
            throw new RequestFailedException(503, "Injected storage fault before the write.");
        }

        await ProcessNextAsync(message, pipeline);
        if (fail)
        {
            throw new RequestFailedException(503, "Injected storage fault after the write.");
        }
    }
}
