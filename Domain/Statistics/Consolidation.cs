namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>The consolidated figures of a statistics task: the sum over units of each unit's latest accepted report, and how many units that is.</summary>
public sealed record Totals(int Reported, int[,] Values)
{
    public static Totals Empty => new(0, new int[StatisticsTemplate.RowCount, StatisticsTemplate.ColumnCount]);

    public int[][] ToRows() => new StatisticsReport(Values, null).ToRows();

    /// <summary>
    /// The totals once a unit's figures go from <paramref name="before"/> (none if it had not
    /// reported) to <paramref name="after"/>: O(1) work, so storage can apply it under an ETag
    /// instead of re-reading every unit.
    /// </summary>
    public Totals Replace(int[,]? before, int[,] after)
    {
        var values = (int[,])Values.Clone();
        for (var r = 0; r < StatisticsTemplate.RowCount; r++)
        {
            for (var c = 0; c < StatisticsTemplate.ColumnCount; c++)
            {
                values[r, c] += after[r, c] - (before?[r, c] ?? 0);
            }
        }

        return new Totals(Reported + (before is null ? 1 : 0), values);
    }

    /// <summary>The totals recomputed from every unit's figures in force (the reference the incremental path must equal).</summary>
    public static Totals Recompute(IEnumerable<int[,]> inForce)
    {
        var totals = Empty;
        foreach (var figures in inForce)
        {
            totals = totals.Replace(null, figures);
        }

        return totals;
    }

    public bool SameAs(Totals other) =>
        Reported == other.Reported && Values.Cast<int>().SequenceEqual(other.Values.Cast<int>());
}

/// <summary>
/// An upload's id: the instant it was received (UTC, to the millisecond) and a random suffix,
/// so ids sort by arrival and the newest upload can be told from an older one processed later.
/// </summary>
public readonly partial record struct UploadId
{
    private UploadId(string value) => Value = value;

    public string Value { get; }

    public static UploadId New(DateTimeOffset receivedAt) =>
        new($"{receivedAt.UtcDateTime:yyyyMMddHHmmssfff}-{System.Security.Cryptography.RandomNumberGenerator.GetHexString(8, lowercase: true)}");

    public static UploadId? Parse(string? text) =>
        text is not null && Grammar().IsMatch(text) ? new UploadId(text) : null;

    /// <summary>Whether this upload arrived after <paramref name="other"/>: the newer upload is the one in force.</summary>
    public bool IsNewerThan(UploadId other) => string.CompareOrdinal(Value, other.Value) > 0;

    public override string ToString() => Value;

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]{17}-[0-9a-f]{8}$")]
    private static partial System.Text.RegularExpressions.Regex Grammar();
}
