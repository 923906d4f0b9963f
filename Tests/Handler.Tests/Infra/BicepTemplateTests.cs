using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Infra;

/// <summary>infra/main.bicep compiles with the Bicep CLI (offline, from NuGet) and describes the deployment architecture.md asks for.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BicepTemplateTests(BicepTemplateTests.Compiled template) : IClassFixture<BicepTemplateTests.Compiled>
{
    private static readonly string[] RequiredSettings =
    [
        "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "SendGrid__ApiKey", "SendGrid__Host", "Email__From", "Email__Office", "Office__ApiKey", "Links__SigningKey", "Links__BaseUrl",
        "Office__FirstAdministrator", "Office__FirstAdministratorPassword",
    ];

    /// <summary>The secure parameters of main.bicep and the app settings that carry them, as Key Vault references.</summary>
    private static readonly (string Parameter, string Setting, string Secret)[] Secrets =
    [
        ("sendGridApiKey", "SendGrid__ApiKey", "sendgrid-api-key"),
        ("linksSigningKey", "Links__SigningKey", "links-signing-key"),
        ("officeApiKey", "Office__ApiKey", "office-api-key"),
        ("firstAdministratorPassword", "Office__FirstAdministratorPassword", "first-administrator-password"),
    ];

    [Fact]
    public void The_template_builds_and_lints_without_errors_or_warnings()
    {
        Assert.True(template.BuildExitCode == 0, template.BuildOutput);
        Assert.DoesNotContain("Warning", template.BuildOutput, StringComparison.Ordinal);
        Assert.True(template.LintExitCode == 0, template.LintOutput);
        Assert.DoesNotContain("Warning", template.LintOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plan_is_Flex_Consumption_and_the_app_runs_the_custom_handler_runtime()
    {
        var plan = template.Resource("Microsoft.Web/serverfarms");
        var app = template.Resource("Microsoft.Web/sites");

        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.Equal("custom", app.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("SystemAssigned, UserAssigned", app.GetProperty("identity").GetProperty("type").GetString());
        Assert.True(app.GetProperty("properties").GetProperty("httpsOnly").GetBoolean());
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b")] // Storage Blob Data Owner
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3")] // Storage Table Data Contributor
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88")] // Storage Queue Data Contributor
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb")] // Monitoring Metrics Publisher
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6")] // Key Vault Secrets User
    public void Storage_refuses_shared_keys_and_the_apps_identity_gets_data_roles_instead(string roleDefinition)
    {
        var storage = template.Resource("Microsoft.Storage/storageAccounts");

        Assert.False(storage.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.Contains(roleDefinition, template.Json, StringComparison.Ordinal);
        var assignments = template.Resources("Microsoft.Authorization/roleAssignments").ToList();
        Assert.Equal(3, assignments.Count); // the three storage roles in one copy loop, the telemetry role, reading Key Vault secrets
        Assert.All(assignments, a => Assert.Equal("ServicePrincipal", a.GetProperty("properties").GetProperty("principalType").GetString()));
    }

    [Fact]
    public void The_app_settings_are_those_of_architecture_md_with_no_key_and_no_local_triggers()
    {
        var settings = template.Resource("Microsoft.Web/sites").GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings")
            .EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();

        Assert.All(RequiredSettings, s => Assert.Contains(s, settings));
        Assert.DoesNotContain(settings, s => s.StartsWith("LocalTriggers", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(settings, s => s.Equals("AzureWebJobsStorage", StringComparison.Ordinal));
        Assert.DoesNotContain("AccountKey", template.Json, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys(resourceId('Microsoft.Storage", template.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Application_insights_and_the_event_grid_source_of_the_blob_trigger_are_declared()
    {
        Assert.Equal("web", template.Resource("Microsoft.Insights/components").GetProperty("kind").GetString());
        var subscription = template.Resource("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var properties = subscription.GetProperty("properties");

        Assert.Contains("runtime/webhooks/blobs?functionName=Host.Functions.ImportStatistics", properties.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal("/blobServices/default/containers/uploads/", properties.GetProperty("filter").GetProperty("subjectBeginsWith").GetString());
        Assert.Equal("Microsoft.Storage.BlobCreated", properties.GetProperty("filter").GetProperty("includedEventTypes")[0].GetString());
    }

    [Fact]
    public void Secrets_reach_the_app_only_as_Key_Vault_references_read_by_an_identity_that_may_only_read_secrets()
    {
        var deployments = template.Resources("Microsoft.Resources/deployments").ToDictionary(d => d.GetProperty("name").GetString()!);
        var vault = template.Resource("Microsoft.KeyVault/vaults");
        var site = template.Resource("Microsoft.Web/sites");
        var settings = site.GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!);
        var keyVaultOutputs = deployments["keyvault"].GetProperty("properties").GetProperty("template").GetProperty("outputs");
        var appParameters = deployments["functionapp"].GetProperty("properties").GetProperty("parameters");

        Assert.True(vault.GetProperty("properties").GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(vault.GetProperty("properties").GetProperty("enablePurgeProtection").GetBoolean());
        // The app resolves references with the vault module's identity, which alone is granted Key Vault Secrets User on the vault.
        Assert.Equal("[parameters('referenceIdentityId')]", site.GetProperty("properties").GetProperty("keyVaultReferenceIdentity").GetString());
        Assert.Contains("outputs.identityId.value", appParameters.GetProperty("referenceIdentityId").GetProperty("value").GetString(), StringComparison.Ordinal);
        var vaultTemplate = deployments["keyvault"].GetProperty("properties").GetProperty("template");
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", vaultTemplate.GetProperty("variables").GetProperty("keyVaultSecretsUser").GetString());
        var readSecrets = vaultTemplate.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments");
        Assert.Contains("variables('keyVaultSecretsUser')", readSecrets.GetProperty("properties").GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", readSecrets.GetProperty("properties").GetProperty("principalId").GetString(), StringComparison.Ordinal);
        Assert.Contains("Microsoft.KeyVault/vaults", readSecrets.GetProperty("scope").GetString(), StringComparison.Ordinal);
        foreach (var (parameter, setting, secret) in Secrets)
        {
            // The secure parameter goes to the vault's module and nowhere else; no output of any template names it.
            Assert.All(deployments.Where(d => d.Key != "keyvault"), d => Assert.DoesNotContain($"parameters('{parameter}')", d.Value.GetProperty("properties").GetRawText(), StringComparison.Ordinal));
            Assert.DoesNotContain($"parameters('{parameter}')", keyVaultOutputs.GetRawText(), StringComparison.Ordinal);
            Assert.Contains(template.Resources("Microsoft.KeyVault/vaults/secrets"), s => s.GetProperty("name").GetString()!.Contains($"'{secret}'", StringComparison.Ordinal));

            // The app setting is a module parameter fed by the vault module's reference to that secret.
            var fed = System.Text.RegularExpressions.Regex.Match(settings[setting], @"^\[parameters\('(\w+)'\)\]$").Groups[1].Value;
            var output = System.Text.RegularExpressions.Regex.Match(appParameters.GetProperty(fed).GetProperty("value").GetString()!, @"outputs\.(\w+)\.value").Groups[1].Value;
            var reference = keyVaultOutputs.GetProperty(output).GetProperty("value").GetString()!;
            Assert.Contains("format('@Microsoft.KeyVault(SecretUri={0})'", reference, StringComparison.Ordinal);
            Assert.Contains($"'{secret}'", reference, StringComparison.Ordinal);
        }

        // No template's outputs (deployment history keeps them) name any of its secure parameters.
        using var root = JsonDocument.Parse(template.Json);
        foreach (var t in deployments.Values.Select(d => d.GetProperty("properties").GetProperty("template")).Append(root.RootElement))
        {
            var secure = t.GetProperty("parameters").EnumerateObject().Where(p => p.Value.GetProperty("type").GetString() == "securestring").Select(p => p.Name).ToList();
            var outputs = t.TryGetProperty("outputs", out var o) ? o.GetRawText() : string.Empty;
            Assert.All(secure, p => Assert.DoesNotContain($"parameters('{p}')", outputs, StringComparison.Ordinal));
        }
    }

    /// <summary>main.bicep compiled once into a temporary folder, and every resource of it and its nested deployments.</summary>
    public sealed class Compiled : IAsyncLifetime
    {
        private readonly string _output = Directory.CreateTempSubdirectory("bicep-").FullName;
        private readonly List<JsonElement> _resources = [];

        public int BuildExitCode { get; private set; }

        public string BuildOutput { get; private set; } = string.Empty;

        public int LintExitCode { get; private set; }

        public string LintOutput { get; private set; } = string.Empty;

        public string Json { get; private set; } = string.Empty;

        public JsonElement Resource(string type) => Assert.Single(Resources(type));

        public IEnumerable<JsonElement> Resources(string type) =>
            _resources.Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

        public async ValueTask InitializeAsync()
        {
            var cli = typeof(Compiled).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
            File.SetUnixFileMode(cli, File.GetUnixFileMode(cli) | UnixFileMode.UserExecute);
            var main = Repository.PathOf("infra", "main.bicep");
            var outFile = Path.Combine(_output, "main.json");
            (BuildExitCode, BuildOutput) = await RunAsync(cli, "build", main, "--outfile", outFile);
            (LintExitCode, LintOutput) = await RunAsync(cli, "lint", main);
            if (BuildExitCode == 0)
            {
                Json = await File.ReadAllTextAsync(outFile);
                using var document = JsonDocument.Parse(Json);
                Collect(document.RootElement);
            }
        }

        public ValueTask DisposeAsync()
        {
            Directory.Delete(_output, recursive: true);
            return ValueTask.CompletedTask;
        }

        private void Collect(JsonElement template)
        {
            if (!template.TryGetProperty("resources", out var resources))
            {
                return;
            }

            // Resources are an array (languageVersion 1) or an object keyed by symbolic name (2.0).
            var items = resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray().ToList() : resources.EnumerateObject().Select(p => p.Value).ToList();
            foreach (var resource in items)
            {
                _resources.Add(resource.Clone());
                if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments"
                    && resource.GetProperty("properties").TryGetProperty("template", out var nested))
                {
                    Collect(nested);
                }
            }
        }

        private static async Task<(int, string)> RunAsync(string file, params string[] args)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" } };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
