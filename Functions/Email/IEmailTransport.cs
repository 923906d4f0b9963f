namespace ServerlessWorkflow.Functions.Email;

/// <summary>The edge that hands an email to the mail provider.</summary>
public interface IEmailTransport
{
    /// <summary>
    /// Sends one email, once: this never retries (the caller decides when, from the result).
    /// Every outcome of the provider is a value; only cancellation through
    /// <paramref name="cancellationToken"/> throws (<see cref="OperationCanceledException"/>).
    /// </summary>
    Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
