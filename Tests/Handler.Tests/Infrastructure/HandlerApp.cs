using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Domain.Accounts;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>
/// The real handler (its Program), listening on Kestrel on a free loopback port, so that it can
/// be called — and can call itself, as the local trigger host does — over real HTTP.
/// Settings are the environment variables the handler reads, in their configuration form.
/// </summary>
public sealed class HandlerApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public HandlerApp(string storageConnectionString, string prefix, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        Port = FreePort.Next();
        Prefix = prefix;
        _services = services;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Storage:Prefix"] = prefix,
            ["LocalTriggers:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Office:ApiKey"] = OfficeKey,
            ["Links:SigningKey"] = "test-signing-key-0123456789abcdef",
            // Tests post from one address many times a minute; the rate-limit tests set their own limits.
            ["RateLimits:ErrorReportsPerMinute"] = "10000",
            ["RateLimits:SignInsPerMinute"] = "10000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel();
    }

    public const string OfficeKey = "office-key-for-tests";

    /// <summary>The password of every account <see cref="AddAccountAsync"/> makes.</summary>
    public const string Password = "mat-khau-cua-can-bo";

    /// <summary>
    /// Adds an office account with <paramref name="roles"/> and <see cref="Password"/> (already its own,
    /// no change asked) straight into its table, as an administrator's page would have; returns its name.
    /// </summary>
    public async Task<string> AddAccountAsync(string name, params OfficeRole[] roles)
    {
        var now = DateTimeOffset.UtcNow;
        var written = await Services.GetRequiredService<IAccountStore>().WriteAsync(
            new OfficeAccount
            {
                Name = AccountName.Parse(name).Value,
                DisplayName = "Cán bộ " + name,
                Roles = roles.Length > 0 ? [.. roles.Distinct().Order()] : [.. OfficeRoles.All],
                PasswordHash = Services.GetRequiredService<IPasswordHashing>().Hash(Password),
                MustChangePassword = false,
                Disabled = false,
                FailedAttempts = 0,
                Stamp = OfficeAccount.NewStamp(),
                CreatedAt = now,
                UpdatedAt = now,
            },
            null,
            TestContext.Current.CancellationToken);
        Assert.True(written.IsSuccess, $"account {name}: {written.Error?.Message}");
        return name;
    }

    public int Port { get; }

    public string Prefix { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>
    /// Starts the handler and returns a client for its real address, once a first request has been
    /// answered: the tables and containers are created beside the start and requests wait for them,
    /// so a test that then reads storage directly finds them in place.
    /// </summary>
    public HttpClient Start()
    {
        StartServer();
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.GetAsync(new Uri("api/health", UriKind.Relative)).GetAwaiter().GetResult().Dispose();
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}
