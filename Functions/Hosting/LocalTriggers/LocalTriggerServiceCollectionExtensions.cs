using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Hosting.LocalTriggers;

public static class LocalTriggerServiceCollectionExtensions
{
    /// <summary>The development stand-in for the host's timer and blob triggers, when <c>LocalTriggers__Enabled=true</c>.</summary>
    public static IHostApplicationBuilder AddLocalTriggers(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(LocalTriggerOptions.Section);
        builder.Services.AddSettings<LocalTriggerOptions>(LocalTriggerOptions.Section, LocalTriggerOptions.Validate);
        if (!section.GetValue<bool>(nameof(LocalTriggerOptions.Enabled)))
        {
            return builder;
        }

        builder.Services.AddSingleton<FunctionCatalog>();
        builder.Services.AddTable(TriggerReceipts.TableName);
        builder.Services.AddSingleton<TriggerReceipts>();
        builder.Services.AddHttpClient<SelfInvoker>(c => c.Timeout = TimeSpan.FromMinutes(10));
        builder.Services.AddHostedService<LocalTriggerHost>();
        return builder;
    }
}
