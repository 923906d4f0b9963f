using System.Xml.Linq;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Hosting.Security;

/// <summary>
/// The Data Protection key ring (which protects the office's session cookie and the antiforgery
/// tokens) kept in one blob, <c>dataprotection/keys.xml</c>, so that every instance of the app
/// reads the same keys: a cookie issued by one instance is accepted by the next, and keys survive
/// scale-in and redeployment. (The default, a folder of the instance's own disk, does neither on
/// Azure Functions.) Writers append with an ETag condition and retry, so two instances creating a
/// key at once both keep theirs. The ring is read when it is first needed, not at start: the
/// health check and the units' pages never need it.
/// </summary>
public sealed class BlobKeyRepository(BlobServiceClient blobs, StorageNames names) : IXmlRepository
{
    public const string Container = "dataprotection";
    public const string BlobName = "keys.xml";
    private const int MaxAttempts = 10;

    private BlobClient Blob => blobs.GetBlobContainerClient(names.Container(Container)).GetBlobClient(BlobName);

    public IReadOnlyCollection<XElement> GetAllElements() => [.. Read().Document.Root!.Elements()];

    public void StoreElement(XElement element, string friendlyName)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (document, etag) = Read();
            document.Root!.Add(element);
            var conditions = etag is { } match ? new BlobRequestConditions { IfMatch = match } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                using var content = new MemoryStream();
                document.Save(content);
                content.Position = 0;
                Blob.Upload(content, new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/xml" } });
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another instance wrote the ring since it was read: read it again (after a moment, so
                // that writers racing each other spread out) and append to that.
                Thread.Sleep(Random.Shared.Next(10, 50) * attempt);
            }
        }
    }

    private (XDocument Document, ETag? ETag) Read()
    {
        try
        {
            var download = Blob.DownloadContent();
            return (XDocument.Load(download.Value.Content.ToStream()), download.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (new XDocument(new XElement("repository")), null);
        }
    }
}

public static class DataProtectionKeys
{
    /// <summary>
    /// Data Protection with its keys in <see cref="BlobKeyRepository"/> under one application
    /// name, and without the hosted service that would load the key ring at start. Call it after
    /// everything that adds Data Protection (authentication, antiforgery, Razor components).
    /// </summary>
    public static IServiceCollection AddSharedDataProtectionKeys(this IServiceCollection services)
    {
        services.AddContainer(BlobKeyRepository.Container);
        services.AddSingleton<BlobKeyRepository>();
        services.AddDataProtection().SetApplicationName("serverless-workflow");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<BlobKeyRepository>()));

        // The ring is read on first use (an office page or form), not before the first request is served.
        services.RemoveHostedService(d => d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
        return services;
    }

    private static void RemoveHostedService(this IServiceCollection services, Func<ServiceDescriptor, bool> match)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IHostedService) && match(d)).ToList())
        {
            services.Remove(descriptor);
        }
    }
}
