using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Tests.Domain.Calendar;

/// <summary>The office edits a year: validated edits, past days frozen, who changed what, and every instance seeing the change.</summary>
public sealed class CalendarDeskTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 20, 9, 0, 0, Vn));
    private readonly MemoryCalendarStore _store = new();

    [Fact]
    public async Task A_day_added_is_in_force_at_once_and_recorded_with_who_added_it()
    {
        using var calendars = new WorkingCalendars(_store, _clock);
        var desk = new CalendarDesk(_store, calendars, [], _clock);
        Assert.True((await calendars.CurrentAsync(TestContext.Current.CancellationToken)).IsWorkingDay(D("24/02/2026")));

        var changed = await desk.ChangeAsync(2026, s => CalendarEdits.Add(s, new DayOverrideInput("24/02/2026", "day-off", "Nghỉ thêm theo Thông báo 12-TB/VPĐU")), "nguyen.van.a", TestContext.Current.CancellationToken);

        Assert.True(changed.IsSuccess, changed.Error?.Message);
        Assert.False((await calendars.CurrentAsync(TestContext.Current.CancellationToken)).IsWorkingDay(D("24/02/2026")));
        var view = await desk.ViewAsync(2026, TestContext.Current.CancellationToken);
        Assert.Equal("nguyen.van.a", view.Stored!.ChangedBy);
        var change = Assert.Single(view.Changes);
        Assert.Equal("nguyen.van.a", change.By);
        Assert.Equal(["Thêm ngày nghỉ 24/02/2026: Nghỉ thêm theo Thông báo 12-TB/VPĐU"], change.What);
    }

    [Fact]
    public async Task Saving_what_is_already_there_saves_nothing()
    {
        using var calendars = new WorkingCalendars(_store, _clock);
        var desk = new CalendarDesk(_store, calendars, [], _clock);
        var edit = (YearSettings s) => CalendarEdits.Add(s, new DayOverrideInput("24/02/2026", "day-off", "Nghỉ thêm"));

        await desk.ChangeAsync(2026, edit, "office", TestContext.Current.CancellationToken);
        var again = await desk.ChangeAsync(2026, edit, "office", TestContext.Current.CancellationToken); // the same form posted twice

        Assert.True(again.IsSuccess);
        Assert.Equal(1, _store.Saves);
    }

    [Fact]
    public async Task A_day_already_past_cannot_change_and_nothing_is_saved()
    {
        using var calendars = new WorkingCalendars(_store, _clock);
        var desk = new CalendarDesk(_store, calendars, [], _clock);

        var past = await desk.ChangeAsync(2026, s => CalendarEdits.Add(s, new DayOverrideInput("19/02/2026", "working-day", "Làm bù")), "office", TestContext.Current.CancellationToken);
        var tet = await desk.ChangeAsync(2026, s => CalendarEdits.Settings(s, new YearSettingsInput("", "12/02/2026", "22/02/2026", "")), "office", TestContext.Current.CancellationToken);
        var today = await desk.ChangeAsync(2026, s => CalendarEdits.Add(s, new DayOverrideInput("20/02/2026", "working-day", "Làm bù")), "office", TestContext.Current.CancellationToken);

        Assert.Equal("past-day", Assert.Single(past.Error!.Fields).Code);
        Assert.Contains("19/02/2026 đã qua", past.Error.Fields[0].Message, StringComparison.Ordinal);
        Assert.Contains("12/02/2026 đã qua", Assert.Single(tet.Error!.Fields).Message, StringComparison.Ordinal);
        Assert.True(today.IsSuccess, "Today may still change: a deadline that ends today has not passed.");
        Assert.Equal(1, _store.Saves);
    }

    [Fact]
    public async Task Another_instance_sees_a_change_at_its_next_check_with_one_small_read_meanwhile()
    {
        using var here = new WorkingCalendars(_store, _clock) { CheckEvery = TimeSpan.FromSeconds(30) };
        using var there = new WorkingCalendars(_store, _clock) { CheckEvery = TimeSpan.FromSeconds(30) };
        var desk = new CalendarDesk(_store, here, [], _clock);
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await there.CurrentAsync(ct)).IsWorkingDay(D("24/02/2026")));

        await desk.ChangeAsync(2026, s => CalendarEdits.Add(s, new DayOverrideInput("24/02/2026", "day-off", "Nghỉ thêm")), "office", ct);
        for (var i = 0; i < 100; i++)
        {
            Assert.True((await there.CurrentAsync(ct)).IsWorkingDay(D("24/02/2026")));
        }

        var versionReads = _store.VersionReads;
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.False((await there.CurrentAsync(ct)).IsWorkingDay(D("24/02/2026")));
        _clock.Advance(TimeSpan.FromSeconds(31));
        await there.CurrentAsync(ct);

        Assert.Equal(versionReads + 2, _store.VersionReads);
        Assert.Equal(2, there.Loads); // the first read, and the one after the change — not one per question
    }

    [Fact]
    public async Task The_listeners_hear_of_a_change_with_the_calendar_before_and_after()
    {
        var heard = new List<(bool Before, bool After)>();
        using var calendars = new WorkingCalendars(_store, _clock);
        var desk = new CalendarDesk(_store, calendars, [new Listener((b, a) => heard.Add((b.IsWorkingDay(D("02/03/2026")), a.IsWorkingDay(D("02/03/2026")))))], _clock);

        await desk.ChangeAsync(2026, s => CalendarEdits.Add(s, new DayOverrideInput("02/03/2026", "day-off", "Nghỉ thêm")), "office", TestContext.Current.CancellationToken);

        Assert.Equal([(true, false)], heard);
    }

    [Fact]
    public void Edits_say_what_is_wrong_field_by_field()
    {
        var year = YearSettings.Default(2026);

        Assert.Contains("đã là ngày nghỉ (Quốc khánh)", Message(CalendarEdits.Add(year, new DayOverrideInput("02/09/2026", "day-off", ""))), StringComparison.Ordinal);
        Assert.Contains("đã là ngày làm việc", Message(CalendarEdits.Add(year, new DayOverrideInput("03/03/2026", "working-day", ""))), StringComparison.Ordinal);
        Assert.Contains("không thuộc năm 2026", Message(CalendarEdits.Add(year, new DayOverrideInput("03/03/2027", "day-off", ""))), StringComparison.Ordinal);
        Assert.Contains("ngày/tháng/năm", Message(CalendarEdits.Add(year, new DayOverrideInput("3 tháng 3", "day-off", ""))), StringComparison.Ordinal);
        Assert.Empty(year.ChangesFrom(CalendarEdits.Remove(year, "03/03/2026").Value)); // removing twice removes once
        Assert.Contains("không thuộc năm 2026", Message(CalendarEdits.Remove(year, "03/03/2025")), StringComparison.Ordinal);
        Assert.Contains("mùng 1 Tết (17/02/2026)", Message(CalendarEdits.Settings(year, new YearSettingsInput("", "18/02/2026", "22/02/2026", ""))), StringComparison.Ordinal);
        Assert.Contains("để trống cả hai", Message(CalendarEdits.Settings(year, new YearSettingsInput("", "14/02/2026", "", ""))), StringComparison.Ordinal);
        Assert.Contains("tối đa 16 ngày", Message(CalendarEdits.Settings(year, new YearSettingsInput("", "10/02/2026", "28/02/2026", ""))), StringComparison.Ordinal);
        Assert.Contains("sunday-only", Message(CalendarEdits.Settings(year, new YearSettingsInput("monday", "", "", ""))), StringComparison.Ordinal);

        var added = CalendarEdits.Add(year, new DayOverrideInput("2026-01-10", "working-day", "")).Value;
        Assert.Equal(new DayOverride(D("10/01/2026"), DayChange.WorkingDay, "Ngày làm bù"), Assert.Single(added.Overrides));
        Assert.Empty(CalendarEdits.Remove(added, "10/01/2026").Value.Overrides);
    }

    [Fact]
    public void A_whole_year_from_the_API_names_each_wrong_day_by_its_place()
    {
        var result = CalendarEdits.Replace(2026, new YearSettingsInput("sunday-only", null, null, "after"), [
            new DayOverrideInput("02/01/2026", "day-off", "Nghỉ bù"),
            new DayOverrideInput("02/01/2026", "day-off", "Lần nữa"),
            new DayOverrideInput("05/01/2026", "sometimes", ""),
        ]);

        Assert.Equal(["overrides[1].date", "overrides[2].change"], result.Error!.Fields.Select(f => f.Field));
        var good = CalendarEdits.Replace(2026, new YearSettingsInput("sunday-only", null, null, "after"), [new DayOverrideInput("02/01/2026", "day-off", "Nghỉ bù")]).Value;
        Assert.Equal((WeeklyRest.SundayOnly, NationalDayNeighbour.After, 1), (good.WeeklyRest, good.NationalDayNeighbour!.Value, good.Overrides.Count));
    }

    [Fact]
    public void The_history_says_each_change_in_the_offices_words()
    {
        var before = YearSettings.Default(2026) with { Overrides = [new DayOverride(D("02/01/2026"), DayChange.DayOff, "Nghỉ bù")] };
        var after = before with
        {
            TetDaysOff = new DateSpan(D("14/02/2026"), D("22/02/2026")),
            NationalDayNeighbour = NationalDayNeighbour.After,
            Overrides = [new DayOverride(D("10/01/2026"), DayChange.WorkingDay, "Làm bù")],
        };

        Assert.Equal(
            [
                "Nghỉ Tết Nguyên đán: từ 14/02/2026 đến hết 22/02/2026 (trước: theo Bộ luật Lao động)",
                "Ngày nghỉ liền kề Quốc khánh: 03/09/2026 (thứ Năm) (trước: theo cách thường chọn)",
                "Bỏ ngày nghỉ 02/01/2026 (Nghỉ bù)",
                "Thêm ngày làm bù 10/01/2026: Làm bù",
            ],
            after.ChangesFrom(before));
        Assert.Empty(after.ChangesFrom(after with { Overrides = [.. after.Overrides] }));
    }

    private static string Message<T>(Result<T> result) => string.Join(" | ", result.Error!.Fields.Select(f => f.Message));

    private static DateOnly D(string text) => DateOnly.ParseExact(text, "dd/MM/yyyy", CultureInfo.InvariantCulture);

    private sealed class Listener(Action<WorkingCalendar, WorkingCalendar> heard) : ICalendarChangeListener
    {
        public Task CalendarChangedAsync(WorkingCalendar before, WorkingCalendar after, CancellationToken cancellationToken)
        {
            heard(before, after);
            return Task.CompletedTask;
        }
    }

    /// <summary>The store's contract in memory: one version for the whole calendar, conditional writes per year.</summary>
    private sealed class MemoryCalendarStore : ICalendarStore
    {
        private readonly Dictionary<int, Versioned<StoredYear>> _years = [];
        private readonly List<CalendarChange> _changes = [];
        private int _version;

        public int Saves { get; private set; }

        public int VersionReads { get; private set; }

        public Task<StoredVersion?> VersionAsync(CancellationToken cancellationToken)
        {
            VersionReads++;
            return Task.FromResult(Current);
        }

        public Task<CalendarSnapshot> LoadAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new CalendarSnapshot([.. _years.Values], Current));

        public Task<Result<bool>> SaveAsync(StoredYear year, StoredVersion? expected, CalendarChange change, CancellationToken cancellationToken)
        {
            if (_years.GetValueOrDefault(year.Settings.Year)?.Version != expected)
            {
                return Task.FromResult<Result<bool>>(Error.Conflict("concurrent-change", "changed"));
            }

            _version++;
            Saves++;
            _years[year.Settings.Year] = new Versioned<StoredYear>(year, new StoredVersion($"y{_version}"));
            _changes.Insert(0, change);
            return Task.FromResult<Result<bool>>(true);
        }

        public Task<IReadOnlyList<CalendarChange>> ChangesAsync(int year, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CalendarChange>>(_changes.Where(c => c.Year == year).ToList());

        private StoredVersion? Current => _version == 0 ? null : new StoredVersion($"v{_version}");
    }
}
