using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;
using SendGridAddress = SendGrid.Helpers.Mail.EmailAddress;

namespace ServerlessWorkflow.Functions.Email;

/// <summary>
/// Sends through SendGrid's v3 mail API (<c>POST {SendGrid__Host}/v3/mail/send</c>) with one
/// <see cref="SendGridClient"/> over one pooled <see cref="HttpClient"/> for the life of the app.
/// It sends each email once and reports the outcome as an <see cref="EmailSendResult"/>: retrying is
/// the caller's decision (the SDK's own retry handler is not used). Logs carry status codes, delays
/// and the caller's idempotency key; never an address, a subject or a body.
/// </summary>
public sealed partial class SendGridEmailTransport : IEmailTransport
{
    /// <summary>The <see cref="IHttpClientFactory"/> name of the client this transport uses.</summary>
    public const string HttpClientName = "SendGrid";

    /// <summary>The custom argument (and its header twin <see cref="IdempotencyKeyHeader"/>) that carries <see cref="EmailMessage.IdempotencyKey"/>.</summary>
    public const string IdempotencyKeyArgument = "idempotency_key";

    public const string IdempotencyKeyHeader = "X-Idempotency-Key";

    private const int MaxErrorBodyChars = 16_384;
    private static readonly TimeSpan MinThrottleDelay = TimeSpan.FromSeconds(1);

    private readonly SendGridClient? _client;
    private readonly SendGridOptions _options;
    private readonly Mailbox? _defaultFrom;
    private readonly TimeProvider _time;
    private readonly ILogger<SendGridEmailTransport> _logger;
    private int _notConfiguredLogged;

    public SendGridEmailTransport(
        IHttpClientFactory httpClientFactory,
        IOptions<SendGridOptions> sendGridOptions,
        IOptions<EmailOptions> emailOptions,
        TimeProvider time,
        ILogger<SendGridEmailTransport> logger)
    {
        _options = sendGridOptions.Value;
        _defaultFrom = emailOptions.Value.FromAddress;
        _time = time;
        _logger = logger;
        if (_options.HasApiKey)
        {
            _client = new SendGridClient(
                httpClientFactory.CreateClient(HttpClientName),
                new SendGridClientOptions { ApiKey = _options.ApiKey!.Trim(), Host = _options.Host.ToString() });
        }
    }

    public async Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var key = HeaderText.Clean(message.IdempotencyKey);
        var (mail, invalid) = Compose(message, key);
        if (invalid is not null)
        {
            LogInvalid(_logger, key, invalid.Reason);
            return invalid;
        }

        if (_client is null)
        {
            // One transport per app, so once per process: the point is to notice, not to fill the log.
            if (Interlocked.Exchange(ref _notConfiguredLogged, 1) == 0)
            {
                LogNotConfigured(_logger);
            }

            return new EmailSendResult.NotConfigured();
        }

        Response response;
        try
        {
            response = await _client.SendEmailAsync(mail!, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout. SendGrid may have accepted the email all the same.
            LogTransient(_logger, key, "timeout");
            return new EmailSendResult.TransientFailure("timeout");
        }
        catch (HttpRequestException ex)
        {
            var reason = $"connection: {ex.HttpRequestError}";
            LogTransient(_logger, key, reason);
            return new EmailSendResult.TransientFailure(reason, ex.StatusCode);
        }

        using var body = response.Body;
        return await InterpretAsync(response, key, cancellationToken);
    }

    private async Task<EmailSendResult> InterpretAsync(Response response, string key, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var code = (int)status;
        if (code is >= 200 and < 300)
        {
            var messageId = response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
            LogSent(_logger, key, code);
            return new EmailSendResult.Sent(messageId);
        }

        if (status == HttpStatusCode.TooManyRequests)
        {
            var delay = ThrottleDelay(response.Headers);
            LogThrottled(_logger, key, delay.TotalSeconds);
            return new EmailSendResult.Throttled(delay);
        }

        if (code is >= 400 and < 500 && status != HttpStatusCode.RequestTimeout)
        {
            var reason = await ErrorReasonAsync(response.Body, code, cancellationToken);
            LogRejected(_logger, key, code, reason);
            return new EmailSendResult.Rejected(status, reason);
        }

        var transient = $"HTTP {code.ToString(CultureInfo.InvariantCulture)}";
        LogTransient(_logger, key, transient);
        return new EmailSendResult.TransientFailure(transient, status);
    }

    /// <summary>
    /// Until <c>X-RateLimit-Reset</c> (Unix seconds) as seen from <see cref="TimeProvider"/>; else <c>Retry-After</c>
    /// (seconds or a date); else <see cref="SendGridOptions.DefaultThrottleDelay"/>. At least one second (the reset
    /// is whole seconds, so "now" may still be inside the limited second), at most <see cref="SendGridOptions.MaxThrottleDelay"/>.
    /// </summary>
    private TimeSpan ThrottleDelay(HttpResponseHeaders headers)
    {
        var now = _time.GetUtcNow();
        TimeSpan? delay = null;
        if (headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset)
            && reset >= 0 && reset <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            delay = DateTimeOffset.FromUnixTimeSeconds(reset) - now;
        }
        else if (headers.RetryAfter is { } retryAfter)
        {
            delay = retryAfter.Delta ?? retryAfter.Date - now;
        }

        var wait = delay ?? _options.DefaultThrottleDelay;
        return wait < MinThrottleDelay ? MinThrottleDelay : wait > _options.MaxThrottleDelay ? _options.MaxThrottleDelay : wait;
    }

    private static async Task<string> ErrorReasonAsync(HttpContent? body, int code, CancellationToken cancellationToken)
    {
        var fallback = $"HTTP {code.ToString(CultureInfo.InvariantCulture)}";
        if (body is null)
        {
            return fallback;
        }

        try
        {
            var text = await body.ReadAsStringAsync(cancellationToken);
            return text.Length > MaxErrorBodyChars ? fallback : SendGridErrorReason.From(text) ?? fallback;
        }
        catch (HttpRequestException)
        {
            return fallback;
        }
    }

    /// <summary>Builds SendGrid's message, or says why the message cannot be sent. Every header-bound value goes through <see cref="HeaderText"/>.</summary>
    private (SendGridMessage? Mail, EmailSendResult.Rejected? Invalid) Compose(EmailMessage message, string key)
    {
        var from = message.From ?? _defaultFrom;
        if (from is null)
        {
            return Invalid("no sender: neither the message nor Email__From names one");
        }

        // Addresses are valid by their type (EmailAddress): nothing here can carry a second header.
        var to = message.To.DistinctBy(a => a.Address.Value, StringComparer.OrdinalIgnoreCase).ToList();
        if (to.Count == 0)
        {
            return Invalid("no recipient");
        }

        var cc = message.Cc
            .Where(c => !to.Any(t => string.Equals(t.Address.Value, c.Address.Value, StringComparison.OrdinalIgnoreCase)))
            .DistinctBy(a => a.Address.Value, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var subject = HeaderText.Clean(message.Subject);
        if (subject.Length == 0)
        {
            return Invalid("no subject");
        }

        if (string.IsNullOrWhiteSpace(message.PlainText) && string.IsNullOrWhiteSpace(message.Html))
        {
            return Invalid("no body: neither plain text nor HTML");
        }

        var mail = new SendGridMessage { From = ToSendGrid(from), Subject = subject };
        if (!string.IsNullOrWhiteSpace(message.PlainText))
        {
            mail.PlainTextContent = message.PlainText;
        }

        if (!string.IsNullOrWhiteSpace(message.Html))
        {
            mail.HtmlContent = message.Html;
        }

        mail.AddTos(to.Select(ToSendGrid).ToList());
        if (cc.Count > 0)
        {
            mail.AddCcs(cc.Select(ToSendGrid).ToList());
        }

        if (key.Length > 0)
        {
            mail.AddGlobalCustomArg(IdempotencyKeyArgument, key);
            mail.AddGlobalHeader(IdempotencyKeyHeader, key);
        }

        return (mail, null);

        static (SendGridMessage?, EmailSendResult.Rejected?) Invalid(string reason) => (null, new EmailSendResult.Rejected(null, reason));
    }

    private static SendGridAddress ToSendGrid(Mailbox mailbox)
    {
        var name = HeaderText.Clean(mailbox.DisplayName);
        return new SendGridAddress(mailbox.Address.Value, name.Length == 0 ? null : name);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SendGrid__ApiKey is not set: emails are recorded but not sent (said once)")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {IdempotencyKey} accepted by SendGrid ({StatusCode})")]
    private static partial void LogSent(ILogger logger, string idempotencyKey, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {IdempotencyKey} throttled by SendGrid; retry in {Seconds} s")]
    private static partial void LogThrottled(ILogger logger, string idempotencyKey, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {IdempotencyKey} not sent, worth retrying: {Reason}")]
    private static partial void LogTransient(ILogger logger, string idempotencyKey, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {IdempotencyKey} rejected by SendGrid ({StatusCode}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string idempotencyKey, int statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {IdempotencyKey} cannot be sent: {Reason}")]
    private static partial void LogInvalid(ILogger logger, string idempotencyKey, string reason);
}
