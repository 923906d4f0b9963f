namespace ServerlessWorkflow.Functions.Hosting.LocalTriggers;

/// <summary>The functions under the script root (<c>AzureWebJobsScriptRoot</c>, else the folder of the nearest host.json).</summary>
public sealed class FunctionCatalog(IConfiguration configuration, IHostEnvironment environment)
{
    private readonly Lazy<IReadOnlyList<FunctionDefinition>> _functions = new(() =>
        FunctionManifest.Discover(FunctionManifest.FindScriptRoot(configuration["AzureWebJobsScriptRoot"], environment.ContentRootPath)));

    public IReadOnlyList<FunctionDefinition> Functions => _functions.Value;
}
