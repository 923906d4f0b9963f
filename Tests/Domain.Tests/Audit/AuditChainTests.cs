using ServerlessWorkflow.Domain.Audit;

namespace ServerlessWorkflow.Tests.Domain.Audit;

/// <summary>The hash chain alone: what verification finds when entries are changed, removed, moved or cut off.</summary>
public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Morning = new(2026, 2, 20, 8, 0, 0, TimeSpan.FromHours(7));

    private static List<AuditEntry> Chain(int count) =>
        [.. AuditChain.Extend("chain0", ChainHead.Empty, Enumerable.Range(1, count).Select(i => new AuditEvent
        {
            At = Morning.AddMinutes(i).AddTicks(1234),
            Actor = AuditActor.Unit("chi-bo-a"),
            Action = AuditAction.SubmissionReceived,
            DirectiveId = "d1",
            UnitId = "chi-bo-a",
            Subject = "v" + i,
            Summary = "Nhiệm vụ t1: đã hoàn thành.",
        }))];

    private static ChainReport Verify(IEnumerable<AuditEntry> entries, ChainHead? head) =>
        AuditChain.Verify("chain0", entries.Select(e => new StoredAuditRow(e.Sequence, e)), head);

    private static ChainHead HeadOf(List<AuditEntry> entries) => new(entries[^1].Sequence, entries[^1].Hash);

    [Fact]
    public void A_chain_as_appended_verifies_and_each_entry_links_the_one_before()
    {
        var entries = Chain(5);

        Assert.True(Verify(entries, HeadOf(entries)).Intact);
        Assert.Equal(AuditChain.Genesis, entries[0].PreviousHash);
        Assert.All(entries.Skip(1), (e, i) => Assert.Equal(entries[i].Hash, e.PreviousHash));
        Assert.Equal(entries[0].Event.At, AuditChain.Normalize(entries[0].Event.At));
    }

    [Fact]
    public void Extending_continues_from_the_head()
    {
        var first = Chain(3);
        var more = AuditChain.Extend("chain0", HeadOf(first), [first[0].Event with { Subject = "v4" }]);

        Assert.Equal(4, more[0].Sequence);
        Assert.True(Verify([.. first, .. more], HeadOf([.. more])).Intact);
    }

    [Fact]
    public void A_changed_field_breaks_the_chain_at_that_entry()
    {
        var entries = Chain(5);
        entries[2] = entries[2] with { Event = entries[2].Event with { Summary = "Nhiệm vụ t1: đang thực hiện." } };

        Assert.Equal(new ChainBreak(3, ChainBreakKind.Changed), Verify(entries, HeadOf(entries)).FirstBreak);
    }

    [Fact]
    public void An_entry_changed_and_rehashed_still_breaks_the_link_of_the_next()
    {
        var entries = Chain(5);
        var edited = entries[1].Event with { Summary = "Sửa" };
        entries[1] = entries[1] with { Event = edited, Hash = AuditChain.HashOf("chain0", 2, edited, entries[1].PreviousHash) };

        Assert.Equal(new ChainBreak(3, ChainBreakKind.Changed), Verify(entries, HeadOf(entries)).FirstBreak);
    }

    [Fact]
    public void A_removed_entry_is_reported_at_its_place_and_so_is_a_removed_last_entry()
    {
        var entries = Chain(5);
        var head = HeadOf(entries);

        Assert.Equal(new ChainBreak(3, ChainBreakKind.Removed), Verify(entries.Where(e => e.Sequence != 3), head).FirstBreak);
        Assert.Equal(new ChainBreak(5, ChainBreakKind.Removed), Verify(entries.Take(4), head).FirstBreak);
    }

    [Fact]
    public void Entries_swapped_are_reported_as_reordered_at_the_first_place_that_holds_the_wrong_entry()
    {
        var entries = Chain(5);
        var rows = entries.Select(e => new StoredAuditRow(e.Sequence, e)).ToList();
        rows[1] = new StoredAuditRow(2, entries[3]);
        rows[3] = new StoredAuditRow(4, entries[1]);

        Assert.Equal(new ChainBreak(2, ChainBreakKind.Reordered), AuditChain.Verify("chain0", rows, HeadOf(entries)).FirstBreak);
    }

    [Fact]
    public void An_unreadable_row_or_a_head_that_does_not_match_breaks_the_chain()
    {
        var entries = Chain(4);
        var rows = entries.Select(e => new StoredAuditRow(e.Sequence, e)).ToList();
        rows[2] = new StoredAuditRow(3, null);

        Assert.Equal(new ChainBreak(3, ChainBreakKind.Changed), AuditChain.Verify("chain0", rows, HeadOf(entries)).FirstBreak);
        Assert.Equal(new ChainBreak(4, ChainBreakKind.Changed), Verify(entries, new ChainHead(4, AuditChain.Genesis)).FirstBreak);
    }
}
