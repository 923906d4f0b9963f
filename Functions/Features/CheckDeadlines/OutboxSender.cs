using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Functions.Hosting.Telemetry;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>What one drain of the outbox did.</summary>
public sealed record DrainReport(bool HadLease, int Sent, int Deferred, int Failed, int Recorded);

/// <summary>
/// Sends what the outbox holds — what this run decided and whatever earlier runs left unsent —
/// under a blob lease, so two runs never send the same entry at once. Outcomes:
/// sent → recorded as sent; 429 → the entry and the rest of this drain wait until the provider's
/// reset; 5xx or timeout → tried again later with jittered exponential backoff, given up after
/// <see cref="MaxAttempts"/>; other 4xx → failed at once, not retried, visible to the office; no API
/// key → recorded, not sent. The outcome is saved after the send: a crash in between can cause at
/// most one duplicate, never a loss.
/// <para>The lease lasts <see cref="EscalationOptions.SenderLeaseSeconds"/> (60 s unless
/// <c>Escalation__SenderLeaseSeconds</c> says otherwise; blob leases allow 15–60 s). A run that
/// dies while holding it blocks sending until the lease expires; a run that finds it held sends
/// nothing and leaves the entries to the next run.</para>
/// </summary>
public sealed partial class OutboxSender(
    IEscalationStore store,
    IEmailTransport transport,
    BlobServiceClient blobs,
    StorageNames names,
    AppTelemetry telemetry,
    TimeProvider time,
    IOptions<EscalationOptions> options,
    ILogger<OutboxSender> logger)
{
    public const string LocksContainer = "locks";
    public const int MaxAttempts = 8;
    private const string LeaseBlob = "outbox-sender";
    private readonly TimeSpan _leaseDuration = TimeSpan.FromSeconds(options.Value.SenderLeaseSeconds);

    public RetryBackoff Backoff { get; init; } = RetryBackoff.Default;

    public async Task<DrainReport> DrainAsync(CancellationToken cancellationToken)
    {
        var blob = blobs.GetBlobContainerClient(names.Container(LocksContainer)).GetBlobClient(LeaseBlob);
        if (!await blob.ExistsAsync(cancellationToken))
        {
            try
            {
                await blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another run created it first.
            }
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(_leaseDuration, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            LogLeaseHeld(logger);
            return new DrainReport(false, 0, 0, 0, 0);
        }

        try
        {
            return await SendAllAsync(lease, cancellationToken);
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }

    private async Task<DrainReport> SendAllAsync(BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        int sent = 0, deferred = 0, failed = 0, recorded = 0;
        var renewAt = time.GetUtcNow() + (_leaseDuration / 2);
        foreach (var (entry, version) in await store.UnsentAsync(500, cancellationToken))
        {
            var now = time.GetUtcNow();
            if (now >= renewAt)
            {
                await lease.RenewAsync(cancellationToken: cancellationToken);
                renewAt = now + (_leaseDuration / 2);
            }

            if (!entry.IsDueForSending(now))
            {
                deferred++;
                continue;
            }

            var result = await transport.SendAsync(ToMessage(entry), cancellationToken);
            var (updated, outcome) = Settle(entry, result, time.GetUtcNow());
            telemetry.Email(outcome);
            LogOutcome(logger, entry.Step, outcome, updated.Attempts);
            await store.UpdateOutboxAsync(updated, version, cancellationToken);
            switch (updated.State)
            {
                case OutboxState.Sent: sent++; break;
                case OutboxState.Failed: failed++; break;
                case OutboxState.Recorded: recorded++; break;
                default: deferred++; break;
            }

            if (result is EmailSendResult.Throttled)
            {
                break; // the provider asked us to wait: the rest waits for the next run
            }
        }

        return new DrainReport(true, sent, deferred, failed, recorded);
    }

    private (OutboxEntry Entry, string Outcome) Settle(OutboxEntry entry, EmailSendResult result, DateTimeOffset now) => result switch
    {
        EmailSendResult.Sent s => (entry with { State = OutboxState.Sent, SentAt = now, Attempts = entry.Attempts + 1, Result = s.ProviderMessageId is { } id ? $"sent ({id})" : "sent", NextAttemptAt = null }, "sent"),
        EmailSendResult.Throttled t => (entry with { NextAttemptAt = now + t.RetryAfter, Result = "throttled (429)" }, "throttled"),
        EmailSendResult.TransientFailure f when entry.Attempts + 1 >= MaxAttempts =>
            (entry with { State = OutboxState.Failed, Attempts = entry.Attempts + 1, Result = $"failed after {MaxAttempts} attempts: {f.Reason}", NextAttemptAt = null }, "failed"),
        EmailSendResult.TransientFailure f =>
            (entry with { Attempts = entry.Attempts + 1, NextAttemptAt = now + Backoff.Delay(entry.Attempts + 1, Random.Shared), Result = f.Reason }, "retry"),
        EmailSendResult.Rejected r => (entry with { State = OutboxState.Failed, Attempts = entry.Attempts + 1, Result = $"rejected ({(r.StatusCode is { } code ? (int)code : 0)}): {r.Reason}", NextAttemptAt = null }, "rejected"),
        EmailSendResult.NotConfigured => (entry with { State = OutboxState.Recorded, Result = "recorded, not sent: no SendGrid API key", NextAttemptAt = null }, "not-configured"),
        _ => throw new ArgumentOutOfRangeException(nameof(result)),
    };

    private static EmailMessage ToMessage(OutboxEntry entry) => new()
    {
        To = entry.To.Select(a => new Mailbox(a)).ToList(),
        Cc = entry.Cc.Select(a => new Mailbox(a)).ToList(),
        Subject = entry.Content.Subject,
        PlainText = entry.Content.Text,
        Html = entry.Content.Html,
        IdempotencyKey = entry.Id,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: another run holds the sender's lease; it sends")]
    private static partial void LogLeaseHeld(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: {Step} {Outcome} (attempt {Attempts})")]
    private static partial void LogOutcome(ILogger logger, string step, string outcome, int attempts);
}
