using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Functions.Hosting.Telemetry;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>What one drain of the outbox did.</summary>
public sealed record DrainReport(bool HadLease, int Sent, int Deferred, int Failed, int Recorded, int Skipped);

/// <summary>
/// Sends what the outbox holds — what this run decided, whatever earlier runs left unsent, and what
/// the office decided by hand — under the <see cref="LeaseName"/> lease (<see cref="RunLeases"/>), so
/// two runs never send the same entry at once. An email that no longer makes sense when its turn
/// comes (a reminder whose moment has passed, units that have completed meanwhile) is skipped, not
/// sent. Outcomes: sent → recorded as sent; 429 → the entry and the rest of this drain wait until
/// the provider's reset; 5xx or timeout → tried again later with jittered exponential backoff,
/// given up after <see cref="MaxAttempts"/>; other 4xx → failed at once, not retried, visible to the
/// office (which can send it again); no API key or no sender → recorded, not sent. The outcome is
/// saved after the send: a crash in between can cause at most one duplicate, never a loss.
/// </summary>
public sealed partial class OutboxSender(
    IEscalationStore store,
    DeadlineCheck check,
    IEmailTransport transport,
    RunLeases leases,
    AppTelemetry telemetry,
    TimeProvider time,
    ILogger<OutboxSender> logger)
{
    public const string LeaseName = "outbox-sender";
    public const int MaxAttempts = 8;

    public RetryBackoff Backoff { get; init; } = RetryBackoff.Default;

    public async Task<DrainReport> DrainAsync(CancellationToken cancellationToken)
    {
        await using var lease = await leases.TryAcquireAsync(LeaseName, cancellationToken);
        if (lease is null)
        {
            LogLeaseHeld(logger);
            return new DrainReport(false, 0, 0, 0, 0, 0);
        }

        return await SendAllAsync(cancellationToken);
    }

    /// <summary>
    /// Sends one email now — what the office just decided by hand — when no run is sending (the
    /// lease is free) and it is due; otherwise the next run sends it. The entry as it stands after.
    /// </summary>
    public async Task<OutboxEntry?> SendNowAsync(string scope, string id, CancellationToken cancellationToken)
    {
        await using (var lease = await leases.TryAcquireAsync(LeaseName, cancellationToken))
        {
            if (lease is not null && await store.EmailAsync(scope, id, cancellationToken) is { } read && read.Value.IsDueForSending(time.GetUtcNow()))
            {
                await SendAsync(read.Value, read.Version, cancellationToken);
            }
        }

        return (await store.EmailAsync(scope, id, cancellationToken))?.Value;
    }

    private async Task<DrainReport> SendAllAsync(CancellationToken cancellationToken)
    {
        int sent = 0, deferred = 0, failed = 0, recorded = 0, skipped = 0;
        foreach (var (entry, version) in await store.UnsentAsync(500, cancellationToken))
        {
            if (!entry.IsDueForSending(time.GetUtcNow()))
            {
                deferred++;
                continue;
            }

            var (updated, result) = await SendAsync(entry, version, cancellationToken);
            switch (updated.State)
            {
                case OutboxState.Sent: sent++; break;
                case OutboxState.Failed: failed++; break;
                case OutboxState.Recorded: recorded++; break;
                case OutboxState.Skipped: skipped++; break;
                default: deferred++; break;
            }

            if (result is EmailSendResult.Throttled)
            {
                break; // the provider asked us to wait: the rest waits for the next run
            }
        }

        return new DrainReport(true, sent, deferred, failed, recorded, skipped);
    }

    /// <summary>Sends one due entry (or skips it when it no longer makes sense) and saves the outcome, conditional on the version read.</summary>
    private async Task<(OutboxEntry Updated, EmailSendResult? Result)> SendAsync(OutboxEntry entry, Domain.Common.StoredVersion? version, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await check.ObsoleteAsync(entry, now, cancellationToken) is { } why)
        {
            var skipped = entry with { State = OutboxState.Skipped, Note = why, SettledAt = now, NextAttemptAt = null };
            await store.UpdateOutboxAsync(skipped, version, cancellationToken);
            telemetry.Email("skipped");
            LogOutcome(logger, entry.Step, "skipped", entry.Attempts);
            return (skipped, null);
        }

        var result = await transport.SendAsync(ToMessage(entry), cancellationToken);
        var (updated, outcome) = Settle(entry, result, time.GetUtcNow());
        telemetry.Email(outcome);
        LogOutcome(logger, entry.Step, outcome, updated.Attempts);
        await store.UpdateOutboxAsync(updated, version, cancellationToken);
        return (updated, result);
    }

    /// <summary>The entry once the provider answered: its state, why (<see cref="OutboxNote"/>, what the office is told), and the provider's raw answer for a details line.</summary>
    private (OutboxEntry Entry, string Outcome) Settle(OutboxEntry entry, EmailSendResult result, DateTimeOffset now) => result switch
    {
        EmailSendResult.Sent s => (entry with { State = OutboxState.Sent, Note = OutboxNote.Accepted, SentAt = now, SettledAt = now, Attempts = entry.Attempts + 1, Result = s.ProviderMessageId is { } id ? $"sent ({id})" : "sent", NextAttemptAt = null }, "sent"),
        EmailSendResult.Throttled t => (entry with { Note = OutboxNote.Throttled, NextAttemptAt = now + t.RetryAfter, Result = "throttled (429)" }, "throttled"),
        EmailSendResult.TransientFailure f when entry.Attempts + 1 >= MaxAttempts =>
            (entry with { State = OutboxState.Failed, Note = OutboxNote.GaveUp, SettledAt = now, Attempts = entry.Attempts + 1, Result = $"failed after {MaxAttempts} attempts: {f.Reason}", NextAttemptAt = null }, "failed"),
        EmailSendResult.TransientFailure f =>
            (entry with { Note = OutboxNote.Transient, Attempts = entry.Attempts + 1, NextAttemptAt = now + Backoff.Delay(entry.Attempts + 1, Random.Shared), Result = f.Reason }, "retry"),
        EmailSendResult.Rejected { StatusCode: null } r => (entry with { State = OutboxState.Failed, Note = OutboxNote.Invalid, SettledAt = now, Result = r.Reason, NextAttemptAt = null }, "rejected"),
        EmailSendResult.Rejected r => (entry with { State = OutboxState.Failed, Note = OutboxNote.Rejected, SettledAt = now, Attempts = entry.Attempts + 1, Result = $"rejected ({(int)r.StatusCode!.Value}): {r.Reason}", NextAttemptAt = null }, "rejected"),
        EmailSendResult.NotConfigured { Missing: MissingSetting.Sender } => (entry with { State = OutboxState.Recorded, Note = OutboxNote.NoSender, SettledAt = now, Result = null, NextAttemptAt = null }, "not-configured"),
        EmailSendResult.NotConfigured => (entry with { State = OutboxState.Recorded, Note = OutboxNote.NoProvider, SettledAt = now, Result = null, NextAttemptAt = null }, "not-configured"),
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
