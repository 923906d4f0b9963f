using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Functions.Shared.Wire;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Calendar;

/// <summary>
/// The working-day calendar in table <c>calendar</c>, one partition (<c>calendar</c>) — a few rows a
/// year, read whole:
/// <list type="bullet">
/// <item>RowKey <c>version</c>: a stamp rewritten by every change, so its ETag is the version of the
/// whole calendar: an instance asks for this one row to know whether its copy is current;</item>
/// <item>RowKey <c>year|{yyyy}</c>: what the office decided for that year (weekly rest, Tết's days
/// off, the day beside 02/09, the days decided otherwise as JSON), who saved it and when;</item>
/// <item>RowKey <c>change|{yyyy}|{inverted ticks}|{n}</c>: one change of that year (who, when, what),
/// newest first in key order.</item>
/// </list>
/// A change writes its year (conditional on the ETag read), the stamp and its history row in one
/// entity-group transaction: all three or none. Keys are made from the validated year only.
/// </summary>
public sealed class TableCalendarStore(TableServiceClient tables, StorageNames names) : ICalendarStore
{
    public const string TableName = "calendar";
    private const string Partition = "calendar";
    private const string VersionRow = "version";
    private const string YearPrefix = "year|";
    private const string ChangePrefix = "change|";
    private const int MaxChangesShown = 200;

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<StoredVersion?> VersionAsync(CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, VersionRow, ["PartitionKey"], cancellationToken);
        return row.HasValue && row.Value is { } e ? e.Version() : null;
    }

    public async Task<CalendarSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        // The version first: a change saved while the years are read makes the next check read them again.
        var version = await VersionAsync(cancellationToken);
        var years = new List<Versioned<StoredYear>>();
        await foreach (var row in Table.QueryPrefixAsync(Partition, YearPrefix, cancellationToken))
        {
            years.Add(new Versioned<StoredYear>(ToYear(row), row.Version()));
        }

        return new CalendarSnapshot(years, version);
    }

    public async Task<Result<bool>> SaveAsync(StoredYear year, StoredVersion? expected, CalendarChange change, CancellationToken cancellationToken)
    {
        var settings = year.Settings;
        var key = YearKey(settings.Year);
        var row = new TableEntity(Partition, YearPrefix + key)
        {
            ["Year"] = settings.Year,
            ["WeeklyRest"] = WireFormat.Name(settings.WeeklyRest),
            ["TetFrom"] = settings.TetDaysOff is { } tet ? WireFormat.Date(tet.From) : null,
            ["TetTo"] = settings.TetDaysOff is { } tetEnd ? WireFormat.Date(tetEnd.To) : null,
            ["NationalDay"] = settings.NationalDayNeighbour is { } neighbour ? WireFormat.Name(neighbour) : null,
            ["Overrides"] = JsonSerializer.Serialize(settings.Overrides.Select(o => new StoredOverride(WireFormat.Date(o.Date), WireFormat.Name(o.Change), o.Reason)).ToList(), StoredCalendarContext.Default.ListStoredOverride),
            ["ChangedBy"] = year.ChangedBy,
            ["ChangedAt"] = year.ChangedAt,
        };
        var stamp = new TableEntity(Partition, VersionRow) { ["ChangedAt"] = change.At, ["Year"] = change.Year };
        var history = new TableEntity(Partition, $"{ChangePrefix}{key}|{(DateTimeOffset.MaxValue.UtcTicks - change.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture)}|{Guid.NewGuid():N}")
        {
            ["Year"] = change.Year,
            ["By"] = change.By,
            ["At"] = change.At,
            ["What"] = JsonSerializer.Serialize(change.What.ToList(), StoredCalendarContext.Default.ListString),
        };
        try
        {
            await Table.SubmitTransactionAsync(
                [
                    TableExtensions.Conditional(row, expected),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, stamp),
                    new TableTransactionAction(TableTransactionActionType.Add, history),
                ],
                cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return Error.Conflict("concurrent-change", "Lịch năm vừa được sửa đồng thời; hãy tải lại trang và thử lại.");
        }
    }

    public async Task<IReadOnlyList<CalendarChange>> ChangesAsync(int year, CancellationToken cancellationToken)
    {
        var changes = new List<CalendarChange>();
        await foreach (var row in Table.QueryPrefixAsync(Partition, $"{ChangePrefix}{YearKey(year)}|", cancellationToken))
        {
            changes.Add(new CalendarChange(row.RequiredInt("Year"), row.RequiredString("By"), row.RequiredInstant("At"), row.RequiredJson("What", StoredCalendarContext.Default.ListString)));
            if (changes.Count == MaxChangesShown)
            {
                break;
            }
        }

        return changes;
    }

    private static string YearKey(int year) =>
        year is >= YearSettings.FirstYear and <= YearSettings.LastYear
            ? year.ToString("D4", CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(year), year, "Not a calendar year.");

    private static StoredYear ToYear(TableEntity e)
    {
        var year = e.RequiredInt("Year");
        if (e.RowKey != YearPrefix + YearKey(year))
        {
            throw CorruptRowException.For(e, "Year", $"holds {year}, which is not the year of its key");
        }

        DateOnly? Date(string field) => e.OptionalString(field) is { } text ? e.Parsed(field, text, ParseDate) : null;
        var from = Date("TetFrom");
        var to = Date("TetTo");
        if (from.HasValue != to.HasValue)
        {
            throw CorruptRowException.For(e, from.HasValue ? "TetTo" : "TetFrom", "is missing while the other end of Tết is set");
        }

        var overrides = e.RequiredJson("Overrides", StoredCalendarContext.Default.ListStoredOverride)
            .Select(o => new DayOverride(e.Parsed("Overrides", o.Date, ParseDate), e.Parsed("Overrides", o.Change, Enum<DayChange>), o.Reason))
            .ToList();
        var settings = new YearSettings(
            year,
            e.Required("WeeklyRest", Enum<WeeklyRest>),
            from is { } f ? new DateSpan(f, to!.Value) : null,
            e.OptionalString("NationalDay") is { } neighbour ? e.Parsed("NationalDay", neighbour, Enum<NationalDayNeighbour>) : null,
            overrides);
        return new StoredYear(settings, e.RequiredString("ChangedBy"), e.RequiredInstant("ChangedAt"));
    }

    private static Result<T> Enum<T>(string text)
        where T : struct, System.Enum =>
        WireFormat.TryParse<T>(text, out var value) ? value : Error.Validation("value", "invalid", "Not a known value.");

    private static Result<DateOnly> ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : Error.Validation("date", "invalid-date", "Not an ISO date.");
}

internal sealed record StoredOverride(string Date, string Change, string Reason);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<StoredOverride>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<string>))]
internal sealed partial class StoredCalendarContext : System.Text.Json.Serialization.JsonSerializerContext;
