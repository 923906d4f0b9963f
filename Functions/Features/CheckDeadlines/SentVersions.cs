using System.Globalization;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>A version a unit sent, and its files.</summary>
public sealed record VersionLine(SubmissionVersion Version, IReadOnlyList<FileLine> Files);

/// <summary>A file of a version: where to download it (DownloadAttachment), its name and size; <see cref="Url"/> null when the file is gone.</summary>
public sealed record FileLine(string? Url, string Name, string Size)
{
    public static FileLine Of(DirectiveId directive, UnitId unit, SubmissionVersion version, int index, StoredFile? stored) => stored is null
        ? new FileLine(null, "(tệp không còn)", string.Empty)
        : new FileLine($"/office/directives/{directive}/units/{unit}/files/{Uri.EscapeDataString(version.VersionId)}/{index.ToString(CultureInfo.InvariantCulture)}", stored.Name, SizeOf(stored.Size));

    /// <summary>A size as people read it: 850 byte, 12 KB, 3,4 MB.</summary>
    public static string SizeOf(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " byte",
        < 1024 * 1024 => Math.Ceiling(bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.#", Domain.Time.VietnamTime.Culture) + " MB",
    };
}
