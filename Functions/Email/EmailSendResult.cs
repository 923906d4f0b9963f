using System.Net;

namespace ServerlessWorkflow.Functions.Email;

/// <summary>
/// What happened to one send, and so what the caller should do next:
/// <list type="bullet">
/// <item><see cref="Sent"/>: done; record it.</item>
/// <item><see cref="Throttled"/>: try again after <see cref="Throttled.RetryAfter"/>, without counting it as a failure.</item>
/// <item><see cref="TransientFailure"/>: try again later with <see cref="RetryBackoff"/>. After a timeout the
/// provider may still have accepted the email, so a retry may deliver it twice (never zero times).</item>
/// <item><see cref="Rejected"/>: do not retry; the same request would be refused again.</item>
/// <item><see cref="NotConfigured"/>: no API key, or no sender; the email is recorded by the caller but not sent.</item>
/// </list>
/// </summary>
public abstract record EmailSendResult
{
    private EmailSendResult()
    {
    }

    /// <summary>SendGrid accepted the email (2xx).</summary>
    /// <param name="ProviderMessageId">SendGrid's <c>X-Message-Id</c>, when it gave one.</param>
    public sealed record Sent(string? ProviderMessageId) : EmailSendResult;

    /// <summary>SendGrid answered 429.</summary>
    /// <param name="RetryAfter">How long to wait: until <c>X-RateLimit-Reset</c>, else <c>Retry-After</c>, else the configured default.</param>
    public sealed record Throttled(TimeSpan RetryAfter) : EmailSendResult;

    /// <summary>5xx, 408, a timeout or a connection failure: worth retrying.</summary>
    /// <param name="Reason">Short and free of personal data, e.g. <c>HTTP 503</c>, <c>timeout</c>, <c>connection: ConnectionError</c>.</param>
    /// <param name="StatusCode">The status SendGrid answered, if it answered at all.</param>
    public sealed record TransientFailure(string Reason, HttpStatusCode? StatusCode = null) : EmailSendResult;

    /// <summary>A 4xx other than 408 and 429, or a message that cannot be sent at all (no recipient, no subject, no body).</summary>
    /// <param name="StatusCode">SendGrid's status; <see langword="null"/> when the transport refused the message before sending it.</param>
    /// <param name="Reason">SendGrid's error fields and messages (addresses redacted, at most 300 characters), or why the transport refused it.</param>
    public sealed record Rejected(HttpStatusCode? StatusCode, string Reason) : EmailSendResult;

    /// <summary>Email is not configured: nothing was sent.</summary>
    /// <param name="Missing">What is missing: <c>SendGrid__ApiKey</c>, or a sender (neither the message nor <c>Email__From</c> names one).</param>
    public sealed record NotConfigured(MissingSetting Missing) : EmailSendResult;
}

/// <summary>What keeps email from being sent at all.</summary>
public enum MissingSetting
{
    /// <summary><c>SendGrid__ApiKey</c> is not set.</summary>
    ApiKey,

    /// <summary>No sender: neither the message nor <c>Email__From</c> names one.</summary>
    Sender,
}
