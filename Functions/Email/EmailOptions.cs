namespace ServerlessWorkflow.Functions.Email;

/// <summary>
/// Addresses of the system (section <c>Email</c>): <c>Email__From</c> and <c>Email__Office</c>.
/// Either may be a bare address or <c>Name &lt;address&gt;</c>.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>The sender of every email that does not name its own.</summary>
    public string? From { get; set; }

    /// <summary>The office's address: digests, copies of step 2, fallback for broken chains.</summary>
    public string? Office { get; set; }

    /// <summary><see cref="From"/> parsed, or <see langword="null"/> when it is absent or not an address.</summary>
    public Mailbox? FromAddress => Mailbox.TryParse(From);

    /// <summary><see cref="Office"/> parsed, or <see langword="null"/> when it is absent or not an address.</summary>
    public Mailbox? OfficeAddress => Mailbox.TryParse(Office);
}

/// <summary>
/// How to reach SendGrid (section <c>SendGrid</c>): <c>SendGrid__ApiKey</c>, <c>SendGrid__Host</c>,
/// and the time one request may take.
/// </summary>
public sealed class SendGridOptions
{
    public const string Section = "SendGrid";

    /// <summary>SendGrid's API, used when <see cref="Host"/> is not set.</summary>
    public static readonly Uri DefaultHost = new("https://api.sendgrid.com");

    /// <summary>The API key; absent means email is recorded but not sent.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The API's base address (tests point it at a local stub).</summary>
    public Uri Host { get; set; } = DefaultHost;

    /// <summary>
    /// How long one request may take before it counts as a transient failure. Short, so that a
    /// hanging provider cannot hold the outbox's lease; SendGrid normally answers in well under a second.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The wait after a 429 that carries neither <c>X-RateLimit-Reset</c> nor <c>Retry-After</c>.</summary>
    public TimeSpan DefaultThrottleDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest wait a 429 can ask for; a reset further away is taken as this (it guards against a wrong clock or header).</summary>
    public TimeSpan MaxThrottleDelay { get; set; } = TimeSpan.FromHours(1);

    internal bool HasApiKey => !string.IsNullOrWhiteSpace(ApiKey);
}
