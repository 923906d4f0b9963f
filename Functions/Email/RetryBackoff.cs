namespace ServerlessWorkflow.Functions.Email;

/// <summary>
/// Jittered exponential backoff for transient send failures, as a pure calculation.
/// Retry <c>n</c> (1 for the first retry) has the ceiling <c>min(MaxDelay, BaseDelay × 2^(n−1))</c>
/// and waits a random time in <c>[ceiling × (1 − Jitter), ceiling]</c>: the waits grow
/// exponentially, never exceed <see cref="MaxDelay"/>, and senders that failed together spread out.
/// </summary>
public sealed record RetryBackoff
{
    public RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, double jitter = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1.0);
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
        Jitter = jitter;
    }

    /// <summary>1 minute, doubling up to 1 hour, up to half of it taken off at random.</summary>
    public static RetryBackoff Default { get; } = new(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));

    public TimeSpan BaseDelay { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>The fraction of the ceiling that may be taken off at random (0: none, 1: full jitter).</summary>
    public double Jitter { get; }

    /// <summary>The longest wait before retry <paramref name="retry"/> (1-based).</summary>
    public TimeSpan Ceiling(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var ticks = BaseDelay.Ticks * Math.Pow(2, Math.Min(retry - 1, 62));
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The wait before retry <paramref name="retry"/> (1-based), drawn from <paramref name="random"/> (<see cref="Random.Shared"/> in production, seeded in tests).</summary>
    public TimeSpan Delay(int retry, Random random)
    {
        var ceiling = Ceiling(retry);
        var takenOff = ceiling.Ticks * Jitter * random.NextDouble();
        return TimeSpan.FromTicks(ceiling.Ticks - (long)takenOff);
    }
}
