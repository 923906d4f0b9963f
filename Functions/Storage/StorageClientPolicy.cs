using Azure.Core;

namespace ServerlessWorkflow.Functions.Storage;

/// <summary>
/// How long the app waits for storage, and how often it tries again — the one place the storage
/// clients' time-outs and retries are set. Storage that hangs (accepts the connection and never
/// answers) must cost a request at most a few seconds: pages and the API then answer 503 with
/// Retry-After (<c>HandlerHosting.IsStorageUnavailable</c>), and a timer or blob invocation fails
/// so the host tries again later, rather than waiting minutes on the SDK's defaults (100 s a try).
/// <list type="bullet">
/// <item>Data clients (<see cref="ForData{T}"/>): <see cref="NetworkTimeout"/> 2 s for each try — the time
/// to the answer's headers and to each read of its body; storage in the same region answers in
/// milliseconds — and one retry after 0.25 s (exponential, at most 1 s): a call that hangs fails
/// after about 4.3 s, a refused one after about 0.3 s.</item>
/// <item>The health probe (<see cref="ForProbe{T}"/>): no retry and 0.9 s, so <c>/api/health</c>
/// reports an outage within a second.</item>
/// </list>
/// </summary>
public static class StorageClientPolicy
{
    /// <summary>How long one try may wait for storage.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Retries after a failed or timed-out try.</summary>
    public const int MaxRetries = 1;

    /// <summary>The health probe's whole budget.</summary>
    public static readonly TimeSpan ProbeBudget = TimeSpan.FromMilliseconds(900);

    public static T ForData<T>(T options)
        where T : ClientOptions
    {
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(250);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }

    public static T ForProbe<T>(T options)
        where T : ClientOptions
    {
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = ProbeBudget;
        return options;
    }
}
