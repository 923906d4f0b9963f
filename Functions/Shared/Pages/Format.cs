using System.Globalization;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Functions.Shared.Pages;

/// <summary>Numbers as pages show them.</summary>
public static class Format
{
    /// <summary>A percentage for people: "83 %", or "—" when there is nothing to count.</summary>
    public static string Percent(double? rate) =>
        rate is { } r ? Math.Round(r * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "—";

    /// <summary>A count as Vietnamese write it: 1.234.</summary>
    public static string Number(long value) => value.ToString("#,0", VietnamTime.Culture);

    /// <summary>A whole number in running text.</summary>
    public static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
