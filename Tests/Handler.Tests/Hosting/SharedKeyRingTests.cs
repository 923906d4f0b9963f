using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Azure.Storage.Blobs;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Storage;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>
/// Azure runs the handler on as many instances as the load asks for, and replaces them at will: the
/// office's session cookie and its form tokens must be readable by every instance. The Data
/// Protection key ring that protects them lives in one blob of the app's storage.
/// </summary>
public sealed class SharedKeyRingTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly string _prefix = StorageFixture.NewPrefix();
    private HandlerApp _first = null!;
    private HandlerApp _second = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BlobContainerClient KeyContainer => new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(_prefix + BlobKeyRepository.Container);

    public ValueTask InitializeAsync()
    {
        _first = new HandlerApp(storage.ConnectionString, _prefix);
        _second = new HandlerApp(storage.ConnectionString, _prefix);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task A_session_begun_on_one_instance_is_honoured_by_another_and_both_use_the_one_key_in_blob_storage()
    {
        _first.Start().Dispose();
        _second.Start().Dispose();
        using var toFirst = Visitor.Client(_first.BaseAddress);
        using var toSecond = Visitor.Client(_second.BaseAddress);
        var clerk = new Visitor();
        await _first.AddAccountAsync("vanphong", ServerlessWorkflow.Domain.Accounts.OfficeRole.VanPhong);

        await clerk.SignInAsync(toFirst, "vanphong");

        // The second instance reads the cookie the first one wrote, and accepts its own form's token.
        using var home = await clerk.SendAsync(toSecond, HttpMethod.Get, "office");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        using var signOut = await clerk.SendAsync(toSecond, HttpMethod.Post, "office/logout", new() { ["csrf"] = clerk.FormToken! });
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);

        var ring = await KeyContainer.GetBlobClient(BlobKeyRepository.BlobName).DownloadContentAsync(Ct);
        Assert.Single(XDocument.Load(ring.Value.Content.ToStream()).Root!.Elements("key"));
    }

    [Fact]
    public async Task Two_instances_adding_keys_at_once_both_keep_theirs()
    {
        await KeyContainer.CreateIfNotExistsAsync(cancellationToken: Ct);
        var repositories = Enumerable.Range(0, 2)
            .Select(_ => new BlobKeyRepository(new BlobServiceClient(storage.ConnectionString), new StorageNames(_prefix)))
            .ToList();

        Parallel.For(0, 8, i => repositories[i % 2].StoreElement(new XElement("key", new XAttribute("id", i)), $"key-{i}"));

        Assert.Equal(
            Enumerable.Range(0, 8).Select(i => i.ToString(CultureInfo.InvariantCulture)),
            repositories[0].GetAllElements().Select(k => (string)k.Attribute("id")!).Order(StringComparer.Ordinal));
    }
}
