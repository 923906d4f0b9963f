using System.Globalization;
using System.Text;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Progress;

/// <summary>
/// Which shard of the office's read models a unit belongs to: a stable hash (FNV-1a) of its id, one
/// of <see cref="Count"/>. A directive's board is then <see cref="Count"/> rows and a month of the
/// units' records another <see cref="Count"/>, whatever the number of units; a change to one unit
/// rewrites one row of each. Fixed: changing <see cref="Count"/> means rebuilding every read model.
/// </summary>
public readonly record struct UnitShard
{
    public const int Count = 16;

    private UnitShard(int value) => Value = value;

    public int Value { get; }

    /// <summary>Two digits, "00" to "15": the shard's part of a row key.</summary>
    public string Key => Value.ToString("00", CultureInfo.InvariantCulture);

    public static IEnumerable<UnitShard> All => Enumerable.Range(0, Count).Select(i => new UnitShard(i));

    public static UnitShard Of(UnitId unit)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(unit.Value))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return new UnitShard((int)(hash % Count));
    }

    public static Result<UnitShard> Parse(string? key) =>
        key is { Length: 2 } && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value < Count
            ? new UnitShard(value)
            : Error.Validation("shard", "invalid-shard", "Not a shard key.");

    public override string ToString() => Key;
}
