using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Submissions;

/// <summary>A file kept with a submission, as the office sees it: the name it is offered under (reduced to safe characters) and its size.</summary>
public sealed record StoredFile(string Name, long Size);

/// <summary>A stored file opened for download.</summary>
public sealed record FileDownload(string Name, long Size, Stream Content);

/// <summary>
/// The files units sent with their submissions, read back for the office. A version keeps the path of
/// each of its files as the server named it: <c>{directiveId}/{unitId}/{taskId}/{random}</c> in
/// <see cref="SubmissionFiles.Container"/> for files attached to a report, <c>uploads/{directiveId}/{unitId}/{uploadId}.xlsx</c>
/// for an accepted statistics spreadsheet. Only paths read from a stored version are ever opened.
/// </summary>
public interface IStoredFiles
{
    /// <summary>Every file kept for the unit under the directive, by the path its version keeps.</summary>
    Task<IReadOnlyDictionary<string, StoredFile>> ListAsync(DirectiveId directive, UnitId unit, CancellationToken cancellationToken);

    /// <summary>The file at <paramref name="path"/> (a path a version keeps), or null when it is gone.</summary>
    Task<FileDownload?> OpenAsync(string path, CancellationToken cancellationToken);
}

public static class SubmissionFiles
{
    /// <summary>The container of files attached to reports.</summary>
    public const string Container = "attachments";

    /// <summary>
    /// A name a person's file may be offered under (an HTTP header, a blob's metadata): the file name
    /// alone, diacritics folded, ASCII letters, digits, '.', '-' and '_' only (the rest '_'), no leading
    /// dot, at most 100 characters; "tep" when nothing is left.
    /// </summary>
    public static string SafeName(string? fileName)
    {
        var name = Text.Fold(Path.GetFileName((fileName ?? string.Empty).Replace('\\', '/'))).TrimStart('.');
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return safe.Trim('_').Length == 0 ? "tep" : safe[..Math.Min(100, safe.Length)];
    }
}
