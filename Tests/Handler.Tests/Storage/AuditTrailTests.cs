using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Storage;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Storage;

/// <summary>
/// The audit trail in Azurite: many requests and two instances appending at once each get their
/// entry stored once, in unbroken chains; an entry edited, deleted or moved directly in the table —
/// as someone with access to the storage account could — is found by verification at that entry;
/// the trail of a directive, a unit or a person finds theirs by the blocks' markers.
/// </summary>
public sealed class AuditTrailTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly DateTimeOffset Morning = new(2026, 2, 20, 8, 0, 0, TimeSpan.FromHours(7));
    private readonly string _prefix = StorageFixture.NewPrefix();
    private TableClient _table = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _table = new TableServiceClient(storage.ConnectionString).GetTableClient(_prefix + TableAuditTrail.TableName);
        await _table.CreateIfNotExistsAsync(Ct);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private TableAuditTrail NewAppender(int firstChain = 0) => new(new TableServiceClient(storage.ConnectionString), new StorageNames(_prefix), NullLogger<TableAuditTrail>.Instance, firstChain);

    private AuditReader Reader => new(new TableServiceClient(storage.ConnectionString), new StorageNames(_prefix));

    private static AuditEvent Event(int i, string unit = "chi-bo-a") => new()
    {
        At = Morning.AddSeconds(i),
        Actor = i % 3 == 0 ? new AuditActor(ActorKind.Account, "vanphong", "Văn phòng") : AuditActor.Unit(unit),
        Action = i % 3 == 0 ? AuditAction.UnitSaved : AuditAction.SubmissionReceived,
        DirectiveId = "d643",
        UnitId = unit,
        Subject = "v" + i,
        Summary = $"Lần {i}",
        Changes = i % 3 == 0 ? [new AuditChange("Tên", "Chi bộ cũ", "Chi bộ mới " + i)] : [],
    };

    /// <summary>Appends <paramref name="count"/> events through one appender and returns the chain they went to.</summary>
    private async Task<string> AppendAsync(int count)
    {
        await using var trail = NewAppender();
        for (var i = 1; i <= count; i++)
        {
            await trail.AppendAsync(Event(i), Ct);
        }

        var chains = await ChainsInUseAsync();
        return Assert.Single(chains);
    }

    private async Task<List<string>> ChainsInUseAsync()
    {
        var chains = new List<string>();
        await foreach (var head in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {TableAuditTrail.HeadKey}"), cancellationToken: Ct))
        {
            chains.Add(head.PartitionKey);
        }

        return chains;
    }

    private async Task<ChainReport> ReportAsync(string chain) => (await Reader.VerifyAsync(Ct)).Single(r => r.Chain == chain);

    private static string BlockKey(long first) => TableAuditTrail.BlockPrefix + TableAuditTrail.Sequence(first);

    /// <summary>Changes the stored JSON of entry <paramref name="sequence"/> in its block, as someone editing the table would.</summary>
    private async Task EditEntryAsync(string chain, long sequence, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        TableEntity? block = null;
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {chain} and First le {sequence} and Last ge {sequence}"), cancellationToken: Ct))
        {
            block = row;
        }

        var json = string.Concat(Enumerable.Range(0, 40).Select(i => block!.GetString("E" + i)).TakeWhile(c => c is not null));
        var entries = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsArray();
        edit(entries.Single(e => (long)e!["sequence"]! == sequence)!.AsObject());
        var edited = entries.ToJsonString();
        for (var i = 0; block!.ContainsKey("E" + i); i++)
        {
            block.Remove("E" + i);
        }

        block["E0"] = edited;
        await _table.UpdateEntityAsync(block, ETag.All, TableUpdateMode.Replace, Ct);
    }

    [Fact]
    public async Task Many_appends_at_once_from_two_instances_starting_on_one_chain_are_each_stored_once_in_unbroken_chains()
    {
        // Both start on chain 0: they race for its head, and the loser moves to another chain.
        await using var first = NewAppender(firstChain: 0);
        await using var second = NewAppender(firstChain: 0);
        await Task.WhenAll(Enumerable.Range(1, 300).Select(i => (i % 2 == 0 ? first : second).AppendAsync(Event(i, "don-vi-" + (i % 7)), Ct)));

        var reports = await Reader.VerifyAsync(Ct);
        var subjects = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {"b|"} and RowKey lt {"b}"}"), cancellationToken: Ct))
        {
            subjects.AddRange(TableAuditTrail.ReadBlock(row).Select(e => e.Event.Subject!));
        }

        Assert.All(reports, r => Assert.True(r.Intact, $"{r.Chain}: {r.FirstBreak?.Message}"));
        Assert.Equal(300, reports.Sum(r => r.Entries));
        Assert.Equal(Enumerable.Range(1, 300).Select(i => "v" + i).Order(), subjects.Order());
    }

    [Fact]
    public async Task An_entry_edited_in_the_table_is_reported_at_that_entry()
    {
        var chain = await AppendAsync(6);
        Assert.True((await ReportAsync(chain)).Intact);

        await EditEntryAsync(chain, 4, entry => entry["summary"] = "Lần 4 (đã sửa)");

        Assert.Equal(new ChainBreak(4, ChainBreakKind.Changed), (await ReportAsync(chain)).FirstBreak);
    }

    [Fact]
    public async Task An_entry_deleted_from_the_table_is_reported_as_removed_and_so_is_the_last_one()
    {
        var chain = await AppendAsync(6);

        await _table.DeleteEntityAsync(chain, BlockKey(3), ETag.All, Ct);
        Assert.Equal(new ChainBreak(3, ChainBreakKind.Removed), (await ReportAsync(chain)).FirstBreak);

        var other = await AppendOnAnotherPrefixAsync();
        await other.Table.DeleteEntityAsync(other.Chain, BlockKey(6), ETag.All, Ct);
        Assert.Equal(new ChainBreak(6, ChainBreakKind.Removed), (await other.Reader.VerifyAsync(Ct)).Single(r => r.Chain == other.Chain).FirstBreak);
    }

    [Fact]
    public async Task Two_entries_swapped_in_the_table_are_reported_as_reordered_at_the_first_of_them()
    {
        var chain = await AppendAsync(6);
        var second = (await _table.GetEntityAsync<TableEntity>(chain, BlockKey(2), cancellationToken: Ct)).Value;
        var fifth = (await _table.GetEntityAsync<TableEntity>(chain, BlockKey(5), cancellationToken: Ct)).Value;

        await _table.UpdateEntityAsync(new TableEntity(fifth) { PartitionKey = chain, RowKey = BlockKey(2) }, ETag.All, TableUpdateMode.Replace, Ct);
        await _table.UpdateEntityAsync(new TableEntity(second) { PartitionKey = chain, RowKey = BlockKey(5) }, ETag.All, TableUpdateMode.Replace, Ct);

        Assert.Equal(new ChainBreak(2, ChainBreakKind.Reordered), (await ReportAsync(chain)).FirstBreak);
    }

    [Fact]
    public async Task One_entry_edited_inside_a_block_of_many_is_reported_at_that_entry()
    {
        await using (var trail = NewAppender())
        {
            await Task.WhenAll(Enumerable.Range(1, 60).Select(i => trail.AppendAsync(Event(i), Ct)));
        }

        var chain = Assert.Single(await ChainsInUseAsync());
        var blocks = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {chain} and RowKey ge {"b|"} and RowKey lt {"b}"}"), cancellationToken: Ct))
        {
            blocks.Add(row);
        }

        var big = blocks.OrderByDescending(b => b.GetInt32("Count")).First();
        Assert.True(big.GetInt32("Count") > 1, "concurrent appends were written one by one");
        var middle = big.GetInt64("First")!.Value + 1;
        await EditEntryAsync(chain, middle, entry => entry["unitId"] = "don-vi-khac");

        Assert.Equal(new ChainBreak(middle, ChainBreakKind.Changed), (await ReportAsync(chain)).FirstBreak);
    }

    [Fact]
    public async Task The_trail_of_a_directive_a_unit_or_a_person_holds_their_entries_newest_first()
    {
        await using (var trail = NewAppender())
        {
            for (var i = 1; i <= 9; i++)
            {
                await trail.AppendAsync(Event(i, i <= 5 ? "chi-bo-a" : "chi-bo-a1"), Ct);
            }
        }

        var unit = await Reader.TrailAsync(new AuditFilter(UnitId: "chi-bo-a"), 100, Ct);
        var person = await Reader.TrailAsync(new AuditFilter(Actor: TableAuditTrail.ActorIndex(ActorKind.Account, "vanphong")), 100, Ct);
        var directive = await Reader.TrailAsync(new AuditFilter(DirectiveId: "d643"), 100, Ct);
        var latest = await Reader.TrailAsync(new AuditFilter(), 4, Ct);

        Assert.Equal(["v5", "v4", "v3", "v2", "v1"], unit.Entries.Select(e => e.Event.Subject));
        Assert.Equal(["v9", "v6", "v3"], person.Entries.Select(e => e.Event.Subject));
        Assert.Equal(9, directive.Entries.Count);
        Assert.Equal(["v9", "v8", "v7", "v6"], latest.Entries.Select(e => e.Event.Subject));
        Assert.Equal([new AuditChange("Tên", "Chi bộ cũ", "Chi bộ mới 9")], person.Entries[0].Event.Changes);
    }

    private async Task<(TableClient Table, string Chain, AuditReader Reader)> AppendOnAnotherPrefixAsync()
    {
        var prefix = StorageFixture.NewPrefix();
        var tables = new TableServiceClient(storage.ConnectionString);
        var table = tables.GetTableClient(prefix + TableAuditTrail.TableName);
        await table.CreateIfNotExistsAsync(Ct);
        await using (var trail = new TableAuditTrail(tables, new StorageNames(prefix), NullLogger<TableAuditTrail>.Instance))
        {
            for (var i = 1; i <= 6; i++)
            {
                await trail.AppendAsync(Event(i), Ct);
            }
        }

        var head = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {TableAuditTrail.HeadKey}"), cancellationToken: Ct).FirstAsync(Ct);
        return (table, head.PartitionKey, new AuditReader(tables, new StorageNames(prefix)));
    }
}
