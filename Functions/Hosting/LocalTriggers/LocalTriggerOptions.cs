namespace ServerlessWorkflow.Functions.Hosting.LocalTriggers;

/// <summary>
/// Settings of the development stand-in for the Functions host's timer and blob triggers
/// (section <c>LocalTriggers</c>). Production never sets <see cref="Enabled"/>: there the host fires triggers.
/// </summary>
public sealed class LocalTriggerOptions
{
    public const string Section = "LocalTriggers";

    public bool Enabled { get; set; }

    /// <summary>How often blob paths are listed for new or changed blobs.</summary>
    public TimeSpan BlobPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Tries per blob version before it is given up as poison, as the host does (5).</summary>
    public int MaxBlobAttempts { get; set; } = 5;

    /// <summary>Optional comma-separated function names to fire; empty means every timer and blob function.</summary>
    public string? Functions { get; set; }

    public static void Validate(LocalTriggerOptions o, SettingsCheck check)
    {
        check.That(o.BlobPollInterval > TimeSpan.Zero, nameof(BlobPollInterval), "must be a positive duration, e.g. 00:00:02.");
        check.That(o.MaxBlobAttempts >= 1, nameof(MaxBlobAttempts), $"must be 1 or more (is {o.MaxBlobAttempts}).");
    }
}
