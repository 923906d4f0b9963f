namespace ServerlessWorkflow.Functions.Email;

/// <summary>
/// One email as the transport sends it. The transport does not compose content; it only puts
/// this on the wire, after removing control characters from every header-bound value
/// (subject, display names, <see cref="IdempotencyKey"/>), so no caller can inject a header.
/// </summary>
public sealed record EmailMessage
{
    /// <summary>The sender; <see langword="null"/> means the configured <c>Email__From</c>.</summary>
    public Mailbox? From { get; init; }

    /// <summary>The recipients; at least one.</summary>
    public required IReadOnlyList<Mailbox> To { get; init; }

    /// <summary>Copies. An address that is also in <see cref="To"/> (or listed twice) is sent once: SendGrid refuses duplicates.</summary>
    public IReadOnlyList<Mailbox> Cc { get; init; } = [];

    public required string Subject { get; init; }

    /// <summary>The <c>text/plain</c> body; line breaks are kept. At least one of this and <see cref="Html"/> is required.</summary>
    public string? PlainText { get; init; }

    /// <summary>The <c>text/html</c> body.</summary>
    public string? Html { get; init; }

    /// <summary>
    /// A stable id of this email on the caller's side, such as its outbox entry id: sent as the
    /// custom argument <c>idempotency_key</c> (returned in SendGrid's event webhook) and the header
    /// <c>X-Idempotency-Key</c>. SendGrid itself does not deduplicate on it; it ties a delivery
    /// back to the entry that caused it.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
