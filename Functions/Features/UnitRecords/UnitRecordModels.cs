using System.Globalization;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Functions.Features.UnitRecords;

/// <summary>The units page: the period (as chosen), the months to choose from, the query, the units of one page, how many match and how many there are; days in <see cref="Days"/>.</summary>
public sealed record UnitsModel(PeriodChoice Choice, IReadOnlyList<Month> Months, UnitsQuery Query, IReadOnlyList<UnitStanding> Rows, int Matching, int All, int Page, DayUnit Days)
{
    /// <summary>"ngày làm việc" or "ngày".</summary>
    public string DayName => DayUnits.Name(Days);

    public const string Title = "Kết quả thực hiện của các đơn vị";
    public const int PageSize = 100;

    /// <summary>The orders of the page, with their query value (sx) and label.</summary>
    public static readonly IReadOnlyList<(string Key, UnitsSort Sort, string Name)> Sorts =
    [
        ("tre", UnitsSort.Lateness, "Chậm nhất lên đầu"),
        ("ten", UnitsSort.Name, "Theo tên đơn vị (A–Z)"),
        ("cap", UnitsSort.Level, "Theo cấp, rồi tên"),
    ];

    /// <summary>The <c>cap</c> value of the group of bodies without a level.</summary>
    public const string OthersKey = "khac";

    public int Pages => Math.Max(1, (Matching + PageSize - 1) / PageSize);

    /// <summary>The query string: q (name), cap (level 1–4, or <see cref="OthersKey"/>), tre (only late: 1), sx (order). Unknown values are ignored.</summary>
    public static UnitsQuery ReadQuery(string? q, string? cap, string? tre, string? sx)
    {
        var search = (q ?? string.Empty).Trim();
        UnitLevel? level = UnitLevels.Parse(cap) is { IsSuccess: true } l ? l.Value : null;
        var sort = Sorts.FirstOrDefault(s => s.Key == sx);
        return new UnitsQuery(search.Length is > 0 and <= 100 ? search : null, level, tre == "1", sort.Key is null ? UnitsSort.Lateness : sort.Sort, cap == OthersKey);
    }

    public static int PageOf(string? trang, int rows) =>
        int.TryParse(trang, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1
            ? Math.Min(page, Math.Max(1, (rows + PageSize - 1) / PageSize))
            : 1;

    /// <summary>The page's address as it is now (period, filters, order), at <paramref name="page"/>.</summary>
    public string Url(int page = 1)
    {
        var parts = new List<string> { Choice.Query };
        if (Query.Search is { } q)
        {
            parts.Add("q=" + Uri.EscapeDataString(q));
        }

        if (Query.Others)
        {
            parts.Add("cap=" + OthersKey);
        }
        else if (Query.Level is { } level)
        {
            parts.Add("cap=" + ((int)level).ToString(CultureInfo.InvariantCulture));
        }

        if (Query.OnlyLate)
        {
            parts.Add("tre=1");
        }

        if (Query.Sort != UnitsSort.Lateness)
        {
            parts.Add("sx=" + Sorts.First(s => s.Sort == Query.Sort).Key);
        }

        if (page > 1)
        {
            parts.Add("trang=" + page.ToString(CultureInfo.InvariantCulture));
        }

        return "/office/units?" + string.Join('&', parts);
    }
}

/// <summary>One unit's record: the period (as chosen), the months to choose from, the sums, and each task of the period; days in <see cref="Days"/>.</summary>
public sealed record UnitRecordModel(UnitId UnitId, Unit? Unit, PeriodChoice Choice, IReadOnlyList<Month> Months, UnitRecord Record, IReadOnlyList<UnitTaskLine> Lines, DayUnit Days)
{
    /// <summary>"ngày làm việc" or "ngày".</summary>
    public string DayName => DayUnits.Name(Days);

    public string Name => Unit?.Name ?? UnitId.Value;
}
