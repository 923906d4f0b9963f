using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace ServerlessWorkflow.Functions.Email;

/// <summary>
/// Sends through SendGrid's v3 mail API (<c>POST {SendGrid__Host}/v3/mail/send</c>, a JSON body with
/// bearer authentication) over one pooled <see cref="HttpClient"/> for the life of the app. The
/// request is written here (<see cref="MailSend"/>) rather than by SendGrid's C# SDK, which would
/// bring Newtonsoft.Json and the dynamic runtime into the package for this one call. It sends each
/// email once and reports the outcome as an <see cref="EmailSendResult"/>: retrying is the caller's
/// decision. Logs carry status codes, delays and the caller's idempotency key; never an address, a
/// subject or a body.
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

    private readonly HttpClient? _client;
    private readonly Uri _endpoint;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly SendGridOptions _options;
    private readonly Mailbox? _defaultFrom;
    private readonly TimeProvider _time;
    private readonly ILogger<SendGridEmailTransport> _logger;
    private int _notConfiguredLogged;
    private int _noSenderLogged;

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
        _endpoint = new Uri(_options.Host.ToString().TrimEnd('/') + "/v3/mail/send");
        if (_options.HasApiKey)
        {
            _client = httpClientFactory.CreateClient(HttpClientName);
            _authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey!.Trim());
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

            return new EmailSendResult.NotConfigured(MissingSetting.ApiKey);
        }

        if (mail is null)
        {
            if (Interlocked.Exchange(ref _noSenderLogged, 1) == 0)
            {
                LogNoSender(_logger);
            }

            return new EmailSendResult.NotConfigured(MissingSetting.Sender);
        }

        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = JsonContent.Create(mail!, MailSendJson.Default.MailSend) };
            request.Headers.Authorization = _authorization;
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            response = await _client.SendAsync(request, cancellationToken);
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

        using (response)
        {
            return await InterpretAsync(response, key, cancellationToken);
        }
    }

    private async Task<EmailSendResult> InterpretAsync(HttpResponseMessage response, string key, CancellationToken cancellationToken)
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
            var reason = await ErrorReasonAsync(response.Content, code, cancellationToken);
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

    /// <summary>
    /// Builds SendGrid's message, or says why the message cannot be sent; no message and no refusal
    /// when all it lacks is a sender (nothing to send from: the caller records it). Every
    /// header-bound value goes through <see cref="HeaderText"/>.
    /// </summary>
    private (MailSend? Mail, EmailSendResult.Rejected? Invalid) Compose(EmailMessage message, string key)
    {
        var from = message.From ?? _defaultFrom;

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

        List<MailContent> content = [];
        if (!string.IsNullOrWhiteSpace(message.PlainText))
        {
            content.Add(new("text/plain", message.PlainText));
        }

        if (!string.IsNullOrWhiteSpace(message.Html))
        {
            content.Add(new("text/html", message.Html));
        }

        if (from is null)
        {
            return (null, null);
        }

        var mail = new MailSend(
            [new MailPersonalization([.. to.Select(ToSendGrid)], cc.Count > 0 ? [.. cc.Select(ToSendGrid)] : null)],
            ToSendGrid(from),
            subject,
            content,
            key.Length > 0 ? new Dictionary<string, string> { [IdempotencyKeyHeader] = key } : null,
            key.Length > 0 ? new Dictionary<string, string> { [IdempotencyKeyArgument] = key } : null);
        return (mail, null);

        static (MailSend?, EmailSendResult.Rejected?) Invalid(string reason) => (null, new EmailSendResult.Rejected(null, reason));
    }

    private static MailAddress ToSendGrid(Mailbox mailbox)
    {
        var name = HeaderText.Clean(mailbox.DisplayName);
        return new MailAddress(mailbox.Address.Value, name.Length == 0 ? null : name);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SendGrid__ApiKey is not set: emails are recorded but not sent (said once)")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email__From is not set: emails are recorded but not sent (said once)")]
    private static partial void LogNoSender(ILogger logger);

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

/// <summary>The body of SendGrid's <c>POST /v3/mail/send</c>: one personalization (to, cc), the sender, subject, plain and HTML content, headers and custom arguments.</summary>
internal sealed record MailSend(
    [property: JsonPropertyName("personalizations")] IReadOnlyList<MailPersonalization> Personalizations,
    [property: JsonPropertyName("from")] MailAddress From,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("content")] IReadOnlyList<MailContent> Content,
    [property: JsonPropertyName("headers")] IReadOnlyDictionary<string, string>? Headers,
    [property: JsonPropertyName("custom_args")] IReadOnlyDictionary<string, string>? CustomArgs);

internal sealed record MailPersonalization(
    [property: JsonPropertyName("to")] IReadOnlyList<MailAddress> To,
    [property: JsonPropertyName("cc")] IReadOnlyList<MailAddress>? Cc);

internal sealed record MailAddress([property: JsonPropertyName("email")] string Email, [property: JsonPropertyName("name")] string? Name);

internal sealed record MailContent([property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("value")] string Value);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MailSend))]
internal sealed partial class MailSendJson : JsonSerializerContext;
