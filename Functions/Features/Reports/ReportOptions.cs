using ServerlessWorkflow.Functions.Hosting;

namespace ServerlessWorkflow.Functions.Features.Reports;

/// <summary>
/// Section <c>Report</c>: what the follow-up report's heading says unless the office changes it on the
/// form — the committee (<c>Report__Committee</c>, e.g. "Đảng ủy UBND tỉnh"; unset: the directive's
/// issuer, or for a period the top unit of the tree), the committee above it (<c>Report__ParentCommittee</c>,
/// e.g. "Đảng bộ tỉnh Thanh Hóa"; unset: none), the place in the date line (<c>Report__Place</c>,
/// e.g. "Thanh Hóa") and who signs (<c>Report__Signer</c>).
/// </summary>
public sealed class ReportOptions
{
    public const string Section = "Report";
    public const int MaxLength = 200;

    public string? Committee { get; set; }

    public string? ParentCommittee { get; set; }

    public string? Place { get; set; }

    public string? Signer { get; set; }

    public static void Validate(ReportOptions o, SettingsCheck check)
    {
        foreach (var (name, value) in new[] { (nameof(Committee), o.Committee), (nameof(ParentCommittee), o.ParentCommittee), (nameof(Place), o.Place), (nameof(Signer), o.Signer) })
        {
            check.That(value is null || (value.Length <= MaxLength && !value.Any(char.IsControl)), name, $"must be at most {MaxLength} characters on one line.");
        }
    }
}
