using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Statistics;

public enum UploadState
{
    Processing,
    Accepted,
    Rejected,
}

/// <summary>One uploaded file and what became of it.</summary>
public sealed record Upload(
    UploadId Id,
    DirectiveId DirectiveId,
    TaskId TaskId,
    UnitId UnitId,
    UploadState State,
    int[,]? Values,
    IReadOnlyList<CellError> Errors,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt)
{
    /// <summary>Where uploaded files are kept: the one name of that container (ImportStatistics' function.json watches <c>uploads/{name}</c>).</summary>
    public const string Container = "uploads";

    /// <summary>The blob the file is kept in, named by the server: <c>{directiveId}/{unitId}/{uploadId}.xlsx</c> under <see cref="Container"/>.</summary>
    public string BlobName => $"{DirectiveId}/{UnitId}/{Id}.xlsx";

    /// <summary>Reads a blob name back into (directive, unit, upload); null for any name the server did not make.</summary>
    public static (DirectiveId Directive, UnitId Unit, UploadId Upload)? ParseBlobName(string name)
    {
        var parts = name.Split('/');
        if (parts.Length != 3 || !parts[2].EndsWith(".xlsx", StringComparison.Ordinal)
            || DirectiveId.Parse(parts[0]) is not { IsSuccess: true } directive
            || UnitId.Parse(parts[1]) is not { IsSuccess: true } unit
            || UploadId.Parse(parts[2][..^5]) is not { } upload)
        {
            return null;
        }

        return (directive.Value, unit.Value, upload);
    }
}

/// <summary>A unit's figures in force for a statistics task: from which upload, and the storage version.</summary>
public sealed record UnitFigures(UnitId UnitId, UploadId UploadId, int[,] Values);

/// <summary>
/// Storage of uploads, each unit's figures in force, and the totals. <see cref="ApplyAsync"/> writes
/// a unit's new figures and the totals in ONE transaction, conditional on the versions read, so
/// parallel uploads never lose an update and the totals always equal the sum of the figures in force.
/// </summary>
public interface IStatisticsStore
{
    Task AddUploadAsync(Upload upload, CancellationToken cancellationToken);

    Task<Upload?> GetUploadAsync(DirectiveId directive, UploadId upload, CancellationToken cancellationToken);

    Task SaveOutcomeAsync(Upload upload, CancellationToken cancellationToken);

    Task<IReadOnlyList<Upload>> UploadsAsync(DirectiveId directive, TaskId task, CancellationToken cancellationToken);

    /// <summary>The unit's figures in force and the totals, with the versions they were read at.</summary>
    Task<(Versioned<UnitFigures?> Figures, Versioned<Totals> Totals)> ReadAsync(DirectiveId directive, TaskId task, UnitId unit, CancellationToken cancellationToken);

    /// <summary>Puts <paramref name="figures"/> in force and the new totals, atomically; Conflict when either changed since read.</summary>
    Task<Result<bool>> ApplyAsync(DirectiveId directive, TaskId task, UnitFigures figures, StoredVersion? figuresVersion, Totals totals, StoredVersion? totalsVersion, CancellationToken cancellationToken);

    Task<(IReadOnlyList<UnitFigures> Figures, Totals Totals)> ConsolidatedAsync(DirectiveId directive, TaskId task, CancellationToken cancellationToken);
}

/// <summary>
/// What ImportStatistics does with one blob: parse and validate it, record the outcome on its upload,
/// and — when accepted and newer than the unit's figures in force — put it in force and adjust the
/// totals. Processing the same blob twice, or an older upload after a newer one, changes nothing.
/// A rejected upload changes no totals.
/// </summary>
public sealed class StatisticsImport(IStatisticsStore store, IDirectiveStore directives, Submissions.ISubmissionStore submissions, TimeProvider time)
{
    private const int Attempts = 8;

    public async Task<UploadState?> ImportAsync(string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (Upload.ParseBlobName(blobName) is not { } name
            || await store.GetUploadAsync(name.Directive, name.Upload, cancellationToken) is not { } upload
            || upload.UnitId != name.Unit)
        {
            return null; // not a blob the upload route made: nothing to do
        }

        if (upload.State == UploadState.Processing)
        {
            var outcome = StatisticsParser.Parse(content);
            upload = upload with
            {
                State = outcome.Accepted ? UploadState.Accepted : UploadState.Rejected,
                Values = outcome.Report?.Values,
                Errors = outcome.Errors,
                ProcessedAt = time.GetUtcNow(),
            };
            await store.SaveOutcomeAsync(upload, cancellationToken);
        }

        if (upload is { State: UploadState.Accepted, Values: { } values })
        {
            await PutInForceAsync(upload, values, cancellationToken);
            await RecordSubmissionAsync(upload, cancellationToken);
        }

        return upload.State;
    }

    /// <summary>
    /// An accepted spreadsheet is the unit's report for a statistics task: it counts as a "done"
    /// submission at the moment the file was received (so the ladder stops and lateness is judged by
    /// arrival, not by processing), under an id derived from the upload so reprocessing adds nothing.
    /// </summary>
    private async Task RecordSubmissionAsync(Upload upload, CancellationToken cancellationToken)
    {
        var task = (await directives.GetAsync(upload.DirectiveId, cancellationToken))?.FindTask(upload.TaskId);
        if (task is null)
        {
            return;
        }

        var version = new Submissions.SubmissionVersion(
            "upload-" + upload.Id.Value,
            upload.DirectiveId,
            upload.TaskId,
            upload.UnitId,
            upload.ReceivedAt,
            Submissions.SubmissionStatus.Done,
            "Đã gửi báo cáo thống kê theo mẫu (tệp được chấp nhận).",
            task.Deadline.HasPassed(upload.ReceivedAt),
            [$"{Upload.Container}/{upload.BlobName}"]);
        await submissions.AddIfAbsentAsync(version, cancellationToken);
    }

    private async Task PutInForceAsync(Upload upload, int[,] values, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (figures, totals) = await store.ReadAsync(upload.DirectiveId, upload.TaskId, upload.UnitId, cancellationToken);
            var current = figures.Value;
            if (current is not null && !upload.Id.IsNewerThan(current.UploadId))
            {
                return; // this upload, or a newer one, is already in force
            }

            var next = totals.Value.Replace(current?.Values, values);
            var applied = await store.ApplyAsync(upload.DirectiveId, upload.TaskId, new UnitFigures(upload.UnitId, upload.Id, values), figures.Version, next, totals.Version, cancellationToken);
            if (applied.IsSuccess)
            {
                return;
            }
        }

        throw new InvalidOperationException("The totals kept changing under this upload; the host will retry it.");
    }
}
