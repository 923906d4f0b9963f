using System.Text.RegularExpressions;

namespace ServerlessWorkflow.Functions.Storage;

/// <summary>
/// Physical names of the app's tables and containers. Every name is the logical name (fixed in
/// code, never user input) behind an optional prefix from <c>Storage__Prefix</c>, so that tests
/// and side-by-side environments get their own tables and containers in one account.
/// Production leaves the prefix empty.
/// </summary>
public sealed partial class StorageNames
{
    public StorageNames(string? prefix)
    {
        prefix ??= string.Empty;
        if (!IsValidPrefix(prefix))
        {
            throw new ArgumentException("Storage prefix must be 1–20 lowercase letters or digits, starting with a letter.", nameof(prefix));
        }

        Prefix = prefix;
    }

    /// <summary>Empty, or 1–20 lowercase letters and digits starting with a letter (valid in table and container names alike).</summary>
    public static bool IsValidPrefix(string? prefix) => string.IsNullOrEmpty(prefix) || PrefixPattern().IsMatch(prefix);

    public string Prefix { get; }

    /// <summary>A table name: letters and digits only, as Table Storage requires.</summary>
    public string Table(string logicalName) => Prefix + logicalName;

    /// <summary>A blob container name (lowercase, as Blob Storage requires).</summary>
    public string Container(string logicalName) => Prefix + logicalName;

    /// <summary>The logical container name behind a physical one, or null when it is not ours.</summary>
    public string? LogicalContainer(string physicalName) =>
        physicalName.StartsWith(Prefix, StringComparison.Ordinal) ? physicalName[Prefix.Length..] : null;

    [GeneratedRegex("^[a-z][a-z0-9]{0,19}$")]
    private static partial Regex PrefixPattern();
}
