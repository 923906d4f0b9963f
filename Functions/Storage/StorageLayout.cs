namespace ServerlessWorkflow.Functions.Storage;

/// <summary>
/// The tables and blob containers the app needs, by logical name. Features add theirs through
/// <see cref="StorageServiceCollectionExtensions.AddTable"/> and <see cref="StorageServiceCollectionExtensions.AddContainer"/>;
/// <see cref="StorageInitializer"/> creates them all when the handler starts.
/// </summary>
public sealed class StorageLayout
{
    public ISet<string> Tables { get; } = new SortedSet<string>(StringComparer.Ordinal);

    public ISet<string> Containers { get; } = new SortedSet<string>(StringComparer.Ordinal);
}
