using System.Text.Json;

namespace ServerlessWorkflow.Functions.Hosting;

/// <summary>One binding of a function.json.</summary>
public sealed record BindingDefinition(
    string Type,
    string Direction,
    string Name,
    string? Schedule,
    string? Path,
    string? DataType,
    bool RunOnStartup,
    string? Route,
    IReadOnlyList<string> Methods)
{
    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A function as the Functions host sees it: the folder that holds its function.json, and its bindings.</summary>
public sealed record FunctionDefinition(string Name, string Directory, IReadOnlyList<BindingDefinition> Bindings)
{
    public BindingDefinition Trigger => Bindings.Single(b => b.IsTrigger);

    public bool IsTimer => Trigger.Type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase);

    public bool IsBlob => Trigger.Type.Equals("blobTrigger", StringComparison.OrdinalIgnoreCase);

    public bool IsHttp => Trigger.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Finds the app's functions the way the Functions host does: a function is a folder holding a
/// <c>function.json</c>, named after the folder. In the deployed package the folders sit beside
/// host.json; in the source tree they sit beside the code that serves them under <c>Functions/</c>,
/// so discovery walks the whole script root (skipping build output and tooling folders).
/// </summary>
public static class FunctionManifest
{
    public const string FileName = "function.json";
    public const string HostFileName = "host.json";

    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", "TestResults", "artifacts" };

    /// <summary>The folder holding host.json: <paramref name="configured"/> if given, else the nearest one above <paramref name="start"/>.</summary>
    public static string FindScriptRoot(string? configured, string start)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, HostFileName)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No {HostFileName} found at or above '{start}'. Set AzureWebJobsScriptRoot.");
    }

    public static IReadOnlyList<FunctionDefinition> Discover(string scriptRoot)
    {
        var functions = new List<FunctionDefinition>();
        Collect(new DirectoryInfo(scriptRoot), functions);
        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two functions are named '{duplicate.Key}': {string.Join(", ", duplicate.Select(f => f.Directory))}.");
        }

        return functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    public static FunctionDefinition Read(string functionJsonPath)
    {
        using var stream = File.OpenRead(functionJsonPath);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var bindings = document.RootElement.GetProperty("bindings").EnumerateArray().Select(ReadBinding).ToList();
        var directory = Path.GetDirectoryName(Path.GetFullPath(functionJsonPath))!;
        return new FunctionDefinition(Path.GetFileName(directory), directory, bindings);
    }

    private static void Collect(DirectoryInfo directory, List<FunctionDefinition> functions)
    {
        var manifest = Path.Combine(directory.FullName, FileName);
        if (File.Exists(manifest))
        {
            functions.Add(Read(manifest));
        }

        foreach (var child in directory.EnumerateDirectories())
        {
            if (!child.Name.StartsWith('.') && !Skipped.Contains(child.Name) && !child.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                Collect(child, functions);
            }
        }
    }

    private static BindingDefinition ReadBinding(JsonElement binding)
    {
        string? Text(string name) => binding.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var methods = binding.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList()
            : [];
        return new BindingDefinition(
            Text("type") ?? throw new InvalidOperationException("A binding has no type."),
            Text("direction") ?? "in",
            Text("name") ?? throw new InvalidOperationException("A binding has no name."),
            Text("schedule"),
            Text("path"),
            Text("dataType"),
            binding.TryGetProperty("runOnStartup", out var r) && r.ValueKind == JsonValueKind.True,
            Text("route"),
            methods);
    }
}
