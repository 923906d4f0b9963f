namespace ServerlessWorkflow.Functions.Hosting.LocalTriggers;

/// <summary>
/// A blob trigger's <c>path</c>, such as <c>uploads/{name}</c>: a container, a fixed prefix,
/// one variable and an optional fixed suffix (<c>uploads/{name}.xlsx</c>). The variable takes the
/// rest of the blob name, slashes included, as the host's <c>{name}</c> does.
/// </summary>
public sealed record BlobPathPattern(string Container, string Prefix, string Variable, string Suffix)
{
    public static BlobPathPattern Parse(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var open = path.IndexOf('{', StringComparison.Ordinal);
        var close = path.IndexOf('}', StringComparison.Ordinal);
        if (slash <= 0 || open < slash || close < open || path.IndexOf('{', close) >= 0)
        {
            throw new FormatException($"Blob path '{path}' is not of the form 'container/prefix{{variable}}suffix'.");
        }

        return new BlobPathPattern(path[..slash], path[(slash + 1)..open], path[(open + 1)..close], path[(close + 1)..]);
    }

    /// <summary>The variable's value for <paramref name="blobName"/>, or null when the blob is not on this path.</summary>
    public string? Match(string blobName) =>
        blobName.Length > Prefix.Length + Suffix.Length
        && blobName.StartsWith(Prefix, StringComparison.Ordinal)
        && blobName.EndsWith(Suffix, StringComparison.Ordinal)
            ? blobName[Prefix.Length..^Suffix.Length]
            : null;
}
