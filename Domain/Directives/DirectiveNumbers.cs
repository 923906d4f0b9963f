using System.Security.Cryptography;
using System.Text;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// Directive numbers (số công văn) compared as a clerk would: "643-CV/ĐU", "643 - cv/đu" and
/// "643–CV/DU" are one number — case, diacritics (đ → d), spaces and the kind of dash do not count.
/// Offices number their dispatches afresh each year, so a number is "already used" when another
/// directive issued in the SAME YEAR carries it, whoever issued it (the issuer is typed in too many
/// ways — "Đảng ủy phường", "ĐU phường" — to tell two dispatches apart by it).
/// </summary>
public static class DirectiveNumbers
{
    /// <summary>The number folded for comparison: lower case, no diacritics, no spaces, every dash a hyphen.</summary>
    public static string Normalize(string? number)
    {
        var folded = Text.Fold(number ?? string.Empty);
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            builder.Append(char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.DashPunctuation ? '-' : c);
        }

        return builder.ToString();
    }

    /// <summary>The directives of <paramref name="registered"/> other than <paramref name="except"/> that carry <paramref name="number"/> and were issued in the year of <paramref name="issuedOn"/>, newest first.</summary>
    public static IReadOnlyList<Directive> SameNumber(string? number, DateOnly issuedOn, IEnumerable<Directive> registered, DirectiveId? except = null)
    {
        var normalized = Normalize(number);
        return normalized.Length == 0
            ? []
            : registered
                .Where(d => d.Id != except && d.IssuedOn.Year == issuedOn.Year && Normalize(d.Number) == normalized)
                .OrderByDescending(d => d.RegisteredAt)
                .ToList();
    }

    /// <summary>The warning about a number already used, naming the directives that use it.</summary>
    public static string Warning(string number, IReadOnlyList<Directive> same) =>
        $"Số công văn “{number}” đã có: "
        + string.Join("; ", same.Select(d => $"công văn số {d.Number} ngày {Time.VietnamTime.Format(d.IssuedOn)} về “{d.Subject}”"))
        + ". Xin kiểm tra có phải đang tạo lại một công văn đã có không.";
}

/// <summary>
/// What identifies a request to register a directive, for <c>Idempotency-Key</c>: a SHA-256 of every
/// field as sent (length-prefixed, so no two inputs encode alike). The same key with another
/// fingerprint is a different request. A field added to <see cref="DirectiveInput"/>,
/// <see cref="TaskInput"/> or <see cref="StatisticsInput"/> must be added here (a test lists them).
/// </summary>
public static class RegistrationFingerprint
{
    public static string Of(DirectiveInput input)
    {
        var b = new StringBuilder();
        void Add(string? value) => b.Append(value is null ? "-1" : value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(':').Append(value).Append(';');
        void AddList(IReadOnlyList<string>? values)
        {
            Add(values?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var v in values ?? [])
            {
                Add(v);
            }
        }

        Add(input.Number);
        Add(input.IssuedOn);
        Add(input.Issuer);
        Add(input.Subject);
        Add(input.Tasks?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var t in input.Tasks ?? [])
        {
            Add(t?.Title);
            Add(t?.Kind);
            Add(t?.Deadline);
            AddList(t?.Units);
            AddList(t?.Roles?.Select(r => r ?? string.Empty).ToList());
            Add(t?.WorkingDays);
            Add(t?.CountFrom);
            Add(t is null ? null : t.Remind ? "1" : "0");
            var s = t?.Statistics;
            Add(s is null ? null : "statistics");
            Add(s?.Template);
            AddList(s?.Bounds?.Select(x => $"{x.Row}>{x.Max}").ToList());
            Add(s?.Totals is { } totals ? (totals ? "1" : "0") : null);
            Add(s?.Blanks);
            Add(s?.Coverage);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(b.ToString())));
    }
}
