using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Functions.Hosting;

namespace ServerlessWorkflow.Functions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Table and blob clients for the account named by <c>AzureWebJobsStorage</c> (time-outs and
    /// retries from <see cref="StorageClientPolicy"/>), the naming prefix from <c>Storage__Prefix</c>,
    /// and the start-up creation of every declared table and container.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        var connection = StorageConnection.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(connection);
        builder.Services.AddSettings<StorageOptions>(StorageOptions.Section, StorageOptions.Validate);
        builder.Services.AddSingleton(sp => new StorageNames(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        builder.Services.AddSingleton(_ => connection.CreateTableServiceClient(StorageClientPolicy.ForData(new TableClientOptions())));
        builder.Services.AddSingleton(_ => connection.CreateBlobServiceClient(StorageClientPolicy.ForData(new BlobClientOptions())));
        builder.Services.AddSingleton<StorageInitializer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        builder.Services.AddSingleton<IStartupFilter, WaitForStorageLayout>();
        return builder;
    }

    /// <summary>Declares a table the app needs; it is created when the handler starts.</summary>
    public static IServiceCollection AddTable(this IServiceCollection services, string logicalName) =>
        services.Configure<StorageLayout>(o => o.Tables.Add(logicalName));

    /// <summary>Declares a blob container the app needs; it is created when the handler starts.</summary>
    public static IServiceCollection AddContainer(this IServiceCollection services, string logicalName) =>
        services.Configure<StorageLayout>(o => o.Containers.Add(logicalName));
}

/// <summary>Section <c>Storage</c>: <c>Storage__Prefix</c>, put before every table and container name (tests and side-by-side environments; production leaves it empty).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? Prefix { get; set; }

    public static void Validate(StorageOptions o, SettingsCheck check) =>
        check.That(StorageNames.IsValidPrefix(o.Prefix), nameof(Prefix), "must be 1–20 lowercase letters or digits, starting with a letter.");
}

/// <summary>First in the pipeline: a request waits for the start's first attempt to create the tables and containers (at once, after it).</summary>
internal sealed class WaitForStorageLayout(StorageInitializer initializer) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var attempt = initializer.FirstAttempt;
            if (!attempt.IsCompleted)
            {
                await attempt.WaitAsync(context.RequestAborted);
            }

            await nextMiddleware(context);
        });
        next(app);
    };
}
