using ServerlessWorkflow.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(StorageFixture))]

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>
/// The storage every storage and end-to-end test uses: the Azurite that scripts/test.sh started
/// (<c>TEST_STORAGE_CONNECTION_STRING</c>), or one started here on free ports. Tests isolate
/// themselves with their own table and container prefix (<see cref="NewPrefix"/>), never by
/// cleaning up after others.
/// </summary>
public sealed class StorageFixture : IAsyncLifetime
{
    private AzuriteProcess? _own;

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>A prefix no other test uses: every table and container the handler makes starts with it.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    public async ValueTask InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("TEST_STORAGE_CONNECTION_STRING");
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = given;
            return;
        }

        _own = await AzuriteProcess.StartAsync();
        ConnectionString = _own.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_own is not null)
        {
            await _own.DisposeAsync();
        }
    }
}
