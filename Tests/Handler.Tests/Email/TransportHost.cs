using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Email;

/// <summary>
/// The transport as the handler wires it (<see cref="EmailServiceCollectionExtensions.AddEmail"/>), in a minimal
/// started host with the given settings, a <see cref="FakeTimeProvider"/> and captured logs.
/// </summary>
public sealed class TransportHost : IAsyncDisposable
{
    public const string Sender = "vanphong@example.org";

    private readonly IHost _host;

    private TransportHost(IHost host, FakeTimeProvider time, CapturedLogs logs)
    {
        _host = host;
        Time = time;
        Logs = logs;
    }

    /// <summary>25/02/2026 10:00:00 in Vietnam (03:00:00 UTC), a whole second.</summary>
    public static DateTimeOffset Start { get; } = new(2026, 2, 25, 3, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; }

    public CapturedLogs Logs { get; }

    public IEmailTransport Transport => _host.Services.GetRequiredService<IEmailTransport>();

    /// <summary>Settings for a transport talking to <paramref name="stub"/> with its key, sender "Văn phòng Đảng ủy &lt;vanphong@example.org&gt;".</summary>
    public static Dictionary<string, string?> SettingsFor(SendGridStub stub) => new()
    {
        ["SendGrid:ApiKey"] = stub.ApiKey,
        ["SendGrid:Host"] = stub.BaseAddress.ToString(),
        ["Email:From"] = $"Văn phòng Đảng ủy <{Sender}>",
    };

    public static async Task<TransportHost> StartAsync(IDictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        var time = new FakeTimeProvider(Start);
        var logs = new CapturedLogs();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.AddEmail();
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new TransportHost(host, time, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
