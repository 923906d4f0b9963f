using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Progress;

/// <summary>
/// The office's read models in table <c>progress</c>:
/// <list type="bullet">
/// <item>PartitionKey <c>board|{directiveId}</c>, RowKey the shard (<c>00</c>–<c>15</c>): a shard of the
/// directive's board, one line per unit: <c>{unitId}</c> and, per task in the directive's order,
/// <c>.</c> (not the unit's), <c>-</c> (nothing sent), <c>p</c> (in progress) or <c>d{ticks}</c>
/// (done: the UTC ticks of the completion); <c>Revision</c> the directive's revision it was built from
/// (absent: 0). A board is one partition query.</item>
/// <item>PartitionKey <c>tally</c>, RowKey the directive id: its counts, property <c>S{shard}</c> =
/// <c>assigned,onTime,late</c> per task separated by <c>;</c>; <c>Revision</c>, the directive's revision
/// they were built from, and <c>Months</c>, the months (yyyyMM, space-separated) its tasks counted in
/// (both absent on rows written before directives were edited: revision 0, months unknown). The
/// office's list is one partition query.</item>
/// <item>PartitionKey <c>month|{yyyyMM}</c>, RowKey the shard: the units' records for tasks due that
/// month: property <c>Deadlines</c> lists the month's deadlines with open tasks (UTC ticks, space-separated),
/// and one line per unit: <c>{unitId} {assigned} {onTime} {late} {daysLateWorking} {daysLateCalendar}</c>, then
/// <c>{i}x{count}</c> per deadline (its place in <c>Deadlines</c>) with open tasks. A unit's line stays a few
/// dozen characters however many directives there are. A period is one query over a range of partitions.</item>
/// </list>
/// Lines go into properties <c>Text0</c>, <c>Text1</c>, … of at most <see cref="PartLength"/> characters
/// (a string property holds 32 K), their number in <c>Parts</c>. Writes are conditional on the ETag read.
/// </summary>
public sealed class TableProgressStore(TableServiceClient tables, StorageNames names) : IProgressStore
{
    public const string TableName = "progress";
    public const int PartLength = 30_000;
    private const string BoardPrefix = "board|";
    private const string TallyPartition = "tally";
    private const string MonthPrefix = "month|";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<IReadOnlyList<BoardShard>> BoardAsync(DirectiveId directive, CancellationToken cancellationToken)
    {
        var shards = new List<BoardShard>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {BoardPrefix + directive.Value}"), cancellationToken: cancellationToken))
        {
            shards.Add(ToBoard(directive, row));
        }

        return shards;
    }

    public async Task<Versioned<BoardShard>?> BoardShardAsync(DirectiveId directive, UnitShard shard, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(BoardPrefix + directive.Value, shard.Key, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? new Versioned<BoardShard>(ToBoard(directive, e), e.Version()) : null;
    }

    public Task<Result<bool>> PutBoardShardAsync(BoardShard board, StoredVersion? expected, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var (unit, cells) in board.Units.OrderBy(u => u.Key.Value, StringComparer.Ordinal))
        {
            text.Append(unit.Value);
            foreach (var cell in cells)
            {
                text.Append(' ').Append(cell switch
                {
                    null => ".",
                    { CompletedAt: { } done } => "d" + done.UtcTicks.ToString(CultureInfo.InvariantCulture),
                    { Status: SubmissionStatus.InProgress } => "p",
                    _ => "-",
                });
            }

            text.Append('\n');
        }

        var row = Packed(new TableEntity(BoardPrefix + board.Directive.Value, board.Shard.Key), text);
        row["Revision"] = board.Revision;
        return Table.WriteConditionallyAsync(row, expected, cancellationToken);
    }

    public async Task<IReadOnlyList<DirectiveTally>> TalliesAsync(CancellationToken cancellationToken)
    {
        var tallies = new List<DirectiveTally>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TallyPartition}"), cancellationToken: cancellationToken))
        {
            tallies.Add(ToTally(row));
        }

        return tallies;
    }

    public async Task<Versioned<DirectiveTally>?> TallyAsync(DirectiveId directive, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(TallyPartition, directive.Value, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? new Versioned<DirectiveTally>(ToTally(e), e.Version()) : null;
    }

    public Task<Result<bool>> PutTallyAsync(DirectiveTally tally, StoredVersion? expected, CancellationToken cancellationToken)
    {
        var row = new TableEntity(TallyPartition, tally.Directive.Value)
        {
            ["Revision"] = tally.Revision,
            ["Months"] = string.Join(' ', tally.Months.Select(m => m.Key)),
        };
        foreach (var (shard, tasks) in tally.Shards)
        {
            row["S" + shard.Key] = string.Join(';', tasks.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Assigned},{t.OnTime},{t.Late}")));
        }

        return Table.WriteConditionallyAsync(row, expected, cancellationToken);
    }

    public async Task<Versioned<UnitMonthShard>?> UnitMonthAsync(Month month, UnitShard shard, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(MonthPrefix + month.Key, shard.Key, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? new Versioned<UnitMonthShard>(ToMonth(month, e), e.Version()) : null;
    }

    public async Task<IReadOnlyList<UnitMonthShard>> UnitMonthsAsync(Period period, CancellationToken cancellationToken)
    {
        var months = new List<UnitMonthShard>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {MonthPrefix + period.From.Key} and PartitionKey le {MonthPrefix + period.To.Key}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            months.Add(ToMonth(row.Parsed("PartitionKey", row.PartitionKey[MonthPrefix.Length..], k => Month.Parse(k, "PartitionKey")), row));
        }

        return months;
    }

    public Task<Result<bool>> PutUnitMonthAsync(UnitMonthShard month, StoredVersion? expected, CancellationToken cancellationToken)
    {
        var deadlines = month.Units.Values.SelectMany(r => r.Open.Select(o => o.Deadline)).Distinct().Order().ToList();
        var index = deadlines.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        var text = new StringBuilder();
        foreach (var (unit, r) in month.Units.OrderBy(u => u.Key.Value, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{unit.Value} {r.Assigned} {r.OnTime} {r.Late} {r.DaysLateWorking} {r.DaysLateCalendar}");
            foreach (var open in r.Open)
            {
                text.Append(CultureInfo.InvariantCulture, $" {index[open.Deadline]}x{open.Count}");
            }

            text.Append('\n');
        }

        var row = Packed(new TableEntity(MonthPrefix + month.Month.Key, month.Shard.Key), text);
        row["Deadlines"] = string.Join(' ', deadlines.Select(d => d.PassesAt.UtcTicks.ToString(CultureInfo.InvariantCulture)));
        return Table.WriteConditionallyAsync(row, expected, cancellationToken);
    }

    private static TableEntity Packed(TableEntity row, StringBuilder text)
    {
        var all = text.ToString();
        var parts = 0;
        for (var at = 0; at < all.Length || parts == 0; at += PartLength)
        {
            row["Text" + parts.ToString(CultureInfo.InvariantCulture)] = all.Substring(at, Math.Min(PartLength, all.Length - at));
            parts++;
        }

        row["Parts"] = parts;
        return row;
    }

    private static IEnumerable<string[]> Lines(TableEntity row)
    {
        var parts = row.RequiredInt("Parts");
        var text = new StringBuilder();
        for (var i = 0; i < parts; i++)
        {
            text.Append(row.OptionalString("Text" + i.ToString(CultureInfo.InvariantCulture)) ?? throw CorruptRowException.For(row, "Text" + i.ToString(CultureInfo.InvariantCulture), "is missing"));
        }

        return text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '));
    }

    private static BoardShard ToBoard(DirectiveId directive, TableEntity row)
    {
        var units = new Dictionary<UnitId, IReadOnlyList<AssignmentMark?>>();
        foreach (var line in Lines(row))
        {
            units[row.Parsed("Text", line[0], u => UnitId.Parse(u))] = line.Skip(1).Select(cell => cell switch
            {
                "." => (AssignmentMark?)null,
                "-" => AssignmentMark.None,
                "p" => new AssignmentMark(SubmissionStatus.InProgress, null),
                ['d', ..] => new AssignmentMark(SubmissionStatus.Done, Instant(row, cell[1..])),
                _ => throw CorruptRowException.For(row, "Text", $"holds the cell '{cell}', which is not ., -, p or d{{ticks}}"),
            }).ToList();
        }

        return new BoardShard(directive, row.Parsed("RowKey", row.RowKey, UnitShard.Parse), units) { Revision = row.OptionalInt("Revision") ?? 0 };
    }

    private static DirectiveTally ToTally(TableEntity row)
    {
        var shards = new Dictionary<UnitShard, IReadOnlyList<TaskTally>>();
        foreach (var shard in UnitShard.All)
        {
            if (row.OptionalString("S" + shard.Key) is { } text)
            {
                shards[shard] = text.Split(';').Select(t => t.Split(',') is [var a, var o, var l]
                    ? new TaskTally(Count(row, a), Count(row, o), Count(row, l))
                    : throw CorruptRowException.For(row, "S" + shard.Key, "is not assigned,onTime,late per task")).ToList();
            }
        }

        return new DirectiveTally(row.Parsed("RowKey", row.RowKey, DirectiveId.Parse), shards)
        {
            Revision = row.OptionalInt("Revision") ?? 0,
            Months = (row.OptionalString("Months") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(m => row.Parsed("Months", m, k => Month.Parse(k, "Months"))).ToList(),
        };
    }

    private static UnitMonthShard ToMonth(Month month, TableEntity row)
    {
        var deadlines = (row.OptionalString("Deadlines") ?? throw CorruptRowException.For(row, "Deadlines", "is missing"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => new Deadline(Instant(row, t))).ToList();
        var units = new Dictionary<UnitId, UnitMonthRecord>();
        foreach (var line in Lines(row))
        {
            if (line.Length < 6)
            {
                throw CorruptRowException.For(row, "Text", "has a unit line without its counts");
            }

            var open = line.Skip(6).Select(o => o.Split('x') is [var i, var n] && Count(row, i) is var at && at < deadlines.Count
                ? new OpenTasks(deadlines[at], Count(row, n))
                : throw CorruptRowException.For(row, "Text", "has an open deadline that is not {index in Deadlines}x{count}")).ToList();
            units[row.Parsed("Text", line[0], u => UnitId.Parse(u))] = new UnitMonthRecord(
                Count(row, line[1]), Count(row, line[2]), Count(row, line[3]), Count(row, line[4]), Count(row, line[5]), open);
        }

        return new UnitMonthShard(month, row.Parsed("RowKey", row.RowKey, UnitShard.Parse), units);
    }

    private static int Count(TableEntity row, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw CorruptRowException.For(row, "Text", $"holds '{text}' where a count belongs");

    private static DateTimeOffset Instant(TableEntity row, string ticks) =>
        long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t is >= 0 and <= 3155378975999999999
            ? new DateTimeOffset(t, TimeSpan.Zero)
            : throw CorruptRowException.For(row, "Text", $"holds '{ticks}' where an instant belongs");
}
