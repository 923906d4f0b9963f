namespace ServerlessWorkflow.Domain.Common;

/// <summary>
/// The version of a stored row as its store read it (an ETag, for Table Storage). Opaque: only the
/// store that made it looks inside; everyone else hands it back to make a write conditional.
/// </summary>
public readonly record struct StoredVersion(string Token)
{
    public override string ToString() => Token;
}

/// <summary>
/// A stored value with the version it was read at, or no version when it is not stored yet. A
/// write conditional on that version is a Conflict when another writer got there first — and,
/// with no version, when another writer created it first.
/// </summary>
public sealed record Versioned<T>(T Value, StoredVersion? Version);
