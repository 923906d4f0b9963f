using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessWorkflow.Domain.Audit;

/// <summary>An event in its place: chain, sequence number (1, 2, …), the previous entry's hash and its own.</summary>
public sealed record AuditEntry(string Chain, long Sequence, AuditEvent Event, string PreviousHash, string Hash);

/// <summary>Where a chain ends: its last sequence number and hash (0 and <see cref="AuditChain.Genesis"/> when empty).</summary>
public sealed record ChainHead(long Sequence, string Hash)
{
    public static readonly ChainHead Empty = new(0, AuditChain.Genesis);
}

public enum ChainBreakKind
{
    /// <summary>An entry's content no longer matches its hash, or its link to the one before was altered.</summary>
    Changed,

    /// <summary>An entry is missing: the sequence skips it, or the chain ends before its head says.</summary>
    Removed,

    /// <summary>An entry sits at another place than the one it was appended at.</summary>
    Reordered,
}

/// <summary>The first place a chain is broken, and how.</summary>
public sealed record ChainBreak(long Sequence, ChainBreakKind Kind)
{
    public string Message => Kind switch
    {
        ChainBreakKind.Changed => $"Mục số {Sequence} đã bị sửa sau khi ghi.",
        ChainBreakKind.Removed => $"Mục số {Sequence} đã bị xóa.",
        ChainBreakKind.Reordered => $"Mục số {Sequence} đã bị đổi chỗ.",
        _ => throw new InvalidOperationException(),
    };
}

/// <summary>A chain as verified: how many entries, and its first break if any.</summary>
public sealed record ChainReport(string Chain, long Entries, ChainBreak? FirstBreak)
{
    public bool Intact => FirstBreak is null;
}

/// <summary>A stored row of a chain at its place (the sequence its key names); <see cref="Entry"/> null when the row cannot be read at all.</summary>
public sealed record StoredAuditRow(long Position, AuditEntry? Entry);

/// <summary>
/// The audit trail's hash chains. Each entry's hash covers its chain, sequence number, every field of
/// its event and the previous entry's hash, so changing, removing or moving an entry breaks the
/// chain at that entry. What this cannot see alone: the newest entries cut off together with the
/// head rewound to match — the head is what anchors a chain's end.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Instants are kept to the millisecond, so what storage gives back hashes as what was hashed.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>The entries that extend a chain at <paramref name="head"/> with <paramref name="events"/>, in order.</summary>
    public static IReadOnlyList<AuditEntry> Extend(string chain, ChainHead head, IEnumerable<AuditEvent> events)
    {
        var entries = new List<AuditEntry>();
        var (sequence, previous) = (head.Sequence, head.Hash);
        foreach (var e in events)
        {
            sequence++;
            var normalized = e with { At = Normalize(e.At) };
            var hash = HashOf(chain, sequence, normalized, previous);
            entries.Add(new AuditEntry(chain, sequence, normalized, previous, hash));
            previous = hash;
        }

        return entries;
    }

    /// <summary>SHA-256 (lowercase hex) of the entry's canonical text: every field length-prefixed, so no two entries share a text.</summary>
    public static string HashOf(string chain, long sequence, AuditEvent e, string previousHash)
    {
        var text = new StringBuilder();
        void Field(string? value) => text.Append(value is null ? "-" : value.Length.ToString(CultureInfo.InvariantCulture) + ":" + value).Append(';');
        Field("audit/1");
        Field(chain);
        Field(sequence.ToString(CultureInfo.InvariantCulture));
        Field(Normalize(e.At).UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(e.Actor.Kind.ToString());
        Field(e.Actor.Id);
        Field(e.Actor.Name);
        Field(e.Action.ToString());
        Field(e.DirectiveId);
        Field(e.UnitId);
        Field(e.Subject);
        Field(e.Summary);
        Field(e.Changes.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var change in e.Changes)
        {
            Field(change.Label);
            Field(change.Before);
            Field(change.After);
        }

        Field(previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Whether the entry's content still hashes to its hash.</summary>
    public static bool IsSelfConsistent(AuditEntry entry) => HashOf(entry.Chain, entry.Sequence, entry.Event, entry.PreviousHash) == entry.Hash;

    /// <summary>
    /// Walks a chain's entries in the order of their places: each must be the next place, hash to its
    /// own hash, carry the sequence of its place and link to the entry before; the last must be the
    /// head. Reports the first place where that fails.
    /// </summary>
    public static ChainReport Verify(string chain, IEnumerable<StoredAuditRow> rows, ChainHead? head)
    {
        var ordered = rows.OrderBy(r => r.Position).ToList();
        var hashes = ordered.Where(r => r.Entry is not null).Select(r => r.Entry!.Hash).ToHashSet(StringComparer.Ordinal);
        var expected = 1L;
        var previous = Genesis;
        foreach (var row in ordered)
        {
            if (row.Position != expected)
            {
                return new ChainReport(chain, ordered.Count, new ChainBreak(expected, ChainBreakKind.Removed));
            }

            if (row.Entry is not { } entry || entry.Chain != chain || !IsSelfConsistent(entry))
            {
                return new ChainReport(chain, ordered.Count, new ChainBreak(row.Position, ChainBreakKind.Changed));
            }

            if (entry.Sequence != row.Position)
            {
                return new ChainReport(chain, ordered.Count, new ChainBreak(row.Position, ChainBreakKind.Reordered));
            }

            if (entry.PreviousHash != previous)
            {
                // Linked to an entry that exists elsewhere in the chain: moved; to nothing we have: altered or its predecessor removed.
                var kind = hashes.Contains(entry.PreviousHash) ? ChainBreakKind.Reordered : ChainBreakKind.Changed;
                return new ChainReport(chain, ordered.Count, new ChainBreak(row.Position, kind));
            }

            previous = entry.Hash;
            expected++;
        }

        var last = expected - 1;
        if (head is not null && head.Sequence > last)
        {
            return new ChainReport(chain, ordered.Count, new ChainBreak(last + 1, ChainBreakKind.Removed));
        }

        if (head is not null && (head.Sequence < last || head.Hash != previous))
        {
            return new ChainReport(chain, ordered.Count, new ChainBreak(Math.Max(1, Math.Min(head.Sequence + 1, last)), ChainBreakKind.Changed));
        }

        return new ChainReport(chain, ordered.Count, null);
    }
}
