using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using ServerlessWorkflow.Functions.Hosting.LocalTriggers;
using ServerlessWorkflow.Functions.Storage;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Storage;

public sealed class StorageSetupTests(StorageFixture storage)
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void A_connection_string_setting_is_used_as_it_is()
    {
        var connection = StorageConnection.FromConfiguration(Settings(("AzureWebJobsStorage", storage.ConnectionString)));

        Assert.Equal(storage.ConnectionString, connection.ConnectionString);
        Assert.Null(connection.Credential);
    }

    [Fact]
    public void Without_any_setting_the_local_emulator_is_the_default()
    {
        var connection = StorageConnection.FromConfiguration(Settings());

        Assert.Equal("UseDevelopmentStorage=true", connection.ConnectionString);
    }

    [Fact]
    public void An_account_name_with_managed_identity_gives_service_uris_and_a_managed_identity_credential_and_no_key()
    {
        var connection = StorageConnection.FromConfiguration(Settings(
            ("AzureWebJobsStorage:accountName", "stfollowup"),
            ("AzureWebJobsStorage:credential", "managedidentity")));

        Assert.Null(connection.ConnectionString);
        Assert.Equal(new Uri("https://stfollowup.blob.core.windows.net"), connection.BlobServiceUri);
        Assert.Equal(new Uri("https://stfollowup.table.core.windows.net"), connection.TableServiceUri);
        Assert.IsType<ManagedIdentityCredential>(connection.Credential);
        Assert.Equal("stfollowup", connection.CreateTableServiceClient().AccountName);
    }

    [Fact]
    public void Explicit_service_uris_win_over_the_account_name()
    {
        var connection = StorageConnection.FromConfiguration(Settings(
            ("AzureWebJobsStorage:accountName", "ignored"),
            ("AzureWebJobsStorage:blobServiceUri", "https://blobs.example.invalid"),
            ("AzureWebJobsStorage:tableServiceUri", "https://tables.example.invalid"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Equal(new Uri("https://blobs.example.invalid"), connection.BlobServiceUri);
        Assert.Equal(new Uri("https://tables.example.invalid"), connection.TableServiceUri);
        Assert.IsType<DefaultAzureCredential>(connection.Credential);
    }

    [Theory]
    [InlineData("")]
    [InlineData("t1")]
    [InlineData("abc123")]
    public void Table_and_container_names_carry_the_prefix(string prefix)
    {
        var names = new StorageNames(prefix);

        Assert.Equal(prefix + "uploads", names.Container("uploads"));
        Assert.Equal(prefix + "units", names.Table("units"));
        Assert.Equal("uploads", names.LogicalContainer(prefix + "uploads"));
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("ABC")]
    [InlineData("a-b")]
    [InlineData("a/b")]
    [InlineData("abcdefghijklmnopqrstu")]
    public void A_prefix_that_would_make_an_invalid_table_or_container_name_is_refused(string prefix)
    {
        Assert.Throws<ArgumentException>(() => new StorageNames(prefix));
    }

    [Fact]
    public async Task Starting_the_handler_creates_every_declared_table_and_container_before_it_answers_a_request()
    {
        var prefix = StorageFixture.NewPrefix();
        await using var app = new HandlerApp(storage.ConnectionString, prefix, new Dictionary<string, string?>
        {
            ["LocalTriggers:Enabled"] = "true",
            ["LocalTriggers:Functions"] = "none",
            ["AzureWebJobsScriptRoot"] = Repository.Root,
        });
        var ct = TestContext.Current.CancellationToken;
        using (var client = app.Start())
        {
            // The first attempt runs beside the rest of the start; a request waits for it.
            using var health = await client.GetAsync(new Uri("api/health", UriKind.Relative), ct);
        }

        var uploads = await new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(prefix + "uploads").ExistsAsync(ct);
        var tables = new List<string>();
        await foreach (var table in new TableServiceClient(storage.ConnectionString).QueryAsync(t => t.Name == prefix + TriggerReceipts.TableName, cancellationToken: ct))
        {
            tables.Add(table.Name);
        }

        Assert.True(uploads.Value);
        Assert.Single(tables);
    }
}
