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
    /// <summary>Who sent the file: the unit through its link, or the office for a unit that emailed it.</summary>
    public UploadSender SentBy { get; init; } = UploadSender.Unit;

    /// <summary>The sheet the table was found on and the header cell errors without a cell are shown at; null when the file could not be read as the template.</summary>
    public string? Sheet { get; init; }

    public string? Anchor { get; init; }

    /// <summary>The unit's name as the file wrote it ("Đơn vị: …"), if it did.</summary>
    public string? WrittenUnit { get; init; }

    /// <summary>
    /// Whether the file names another unit than <paramref name="unitName"/> ("Đơn vị: …" above its table):
    /// compared after folding case, diacritics and spacing; one name inside the other ("Sở Tài chính" in
    /// "Đảng bộ Sở Tài chính") is the same unit. A file that names no unit names no other.
    /// </summary>
    public bool NamesAnotherUnit(string unitName)
    {
        var written = ReportTemplate.Key(WrittenUnit);
        var actual = ReportTemplate.Key(unitName);
        return written.Length > 0 && actual.Length > 0 && !written.Contains(actual, StringComparison.Ordinal) && !actual.Contains(written, StringComparison.Ordinal);
    }

    /// <summary>Whether a copy of the file can be annotated: it was rejected for what its table holds, not for being unreadable.</summary>
    public bool Annotatable => State == UploadState.Rejected && Sheet is not null;

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

/// <summary>Who sent an upload.</summary>
public enum UploadSender
{
    Unit,
    Office,
}

/// <summary>A unit's figures in force for a statistics task: from which upload, and whether they are added to the totals (not when an assigned unit above reports for it).</summary>
public sealed record UnitFigures(UnitId UnitId, UploadId UploadId, int[,] Values)
{
    public bool Counted { get; init; } = true;
}

/// <summary>A unit's figures in force on one track and the shard of the totals it adds to, with the versions they were read at.</summary>
public sealed record TrackRead(Versioned<UnitFigures?> Figures, Versioned<Totals> Shard);

/// <summary>A unit's new figures on one track, and the shard's new totals (null: the unit is not counted, the shard is not written).</summary>
public sealed record TrackWrite(FiguresTrack Track, UnitFigures Figures, StoredVersion? FiguresVersion, Totals? Shard, StoredVersion? ShardVersion);

/// <summary>One track's figures in force and its totals (the sum of its shards).</summary>
public sealed record TrackTotals(IReadOnlyList<UnitFigures> Figures, Totals Totals);

/// <summary>A task's figures and totals now and at its deadline.</summary>
public sealed record Consolidated(TrackTotals Current, TrackTotals AtDeadline);

/// <summary>
/// Storage of uploads, each unit's figures in force (now and at the deadline), and the totals in
/// <see cref="Consolidation.Shards"/> shards. <see cref="ApplyAsync"/> writes a unit's new figures
/// and its shard's totals, on one track or both, in ONE transaction conditional on the versions
/// read, so parallel uploads never lose an update and the totals always equal the sum of the
/// figures in force.
/// </summary>
public interface IStatisticsStore
{
    Task AddUploadAsync(Upload upload, CancellationToken cancellationToken);

    Task<Upload?> GetUploadAsync(DirectiveId directive, UploadId upload, CancellationToken cancellationToken);

    Task SaveOutcomeAsync(Upload upload, CancellationToken cancellationToken);

    Task<IReadOnlyList<Upload>> UploadsAsync(DirectiveId directive, TaskId task, CancellationToken cancellationToken);

    /// <summary>The unit's figures in force on <paramref name="track"/> and its shard's totals, with their versions.</summary>
    Task<TrackRead> ReadAsync(DirectiveId directive, TaskId task, FiguresTrack track, UnitId unit, int shard, CancellationToken cancellationToken);

    /// <summary>Puts the writes in force, atomically; Conflict when any row changed since read.</summary>
    Task<Result<bool>> ApplyAsync(DirectiveId directive, TaskId task, int shard, IReadOnlyList<TrackWrite> writes, CancellationToken cancellationToken);

    Task<Consolidated> ConsolidatedAsync(DirectiveId directive, TaskId task, CancellationToken cancellationToken);
}

/// <summary>What one ImportStatistics invocation did: the upload's state (null: not an upload), and how often the totals changed under it before its write went through.</summary>
public readonly record struct ImportResult(UploadState? State, int Conflicts);

/// <summary>
/// What ImportStatistics does with one blob: parse and validate it against its task's template and
/// rules, record the outcome on its upload, and — when accepted and newer than the unit's figures in
/// force — put it in force and adjust its shard of the totals (and, for a file received before the
/// deadline, the figures at the deadline too). Processing the same blob twice, or an older upload
/// after a newer one, changes nothing. A rejected upload changes no totals. When another upload
/// changes the same rows first, it reads again and retries after a short random wait.
/// </summary>
public sealed class StatisticsImport(IStatisticsStore store, IDirectiveStore directives, Submissions.ISubmissionStore submissions, ReportTemplates templates, TimeProvider time)
{
    /// <summary>Attempts before the invocation fails and the host retries it (each after a wait that grows to <see cref="MaxBackoff"/>).</summary>
    public int MaxAttempts { get; init; } = 16;

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(400);

    /// <summary>How many rows the totals are spread over (1: one totals row, as before shards — the benchmark's comparison). Changing it on a task with figures keeps the sums right: every shard row is added up.</summary>
    public int Shards { get; init; } = Consolidation.Shards;

    public async Task<ImportResult> ImportAsync(string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (Upload.ParseBlobName(blobName) is not { } name
            || await store.GetUploadAsync(name.Directive, name.Upload, cancellationToken) is not { } upload
            || upload.UnitId != name.Unit
            || (await directives.GetAsync(upload.DirectiveId, cancellationToken))?.FindTask(upload.TaskId) is not { Kind: TaskKind.Statistics } task)
        {
            return new(null, 0); // not a blob the upload route made: nothing to do
        }

        var spec = task.StatisticsOrDefault;
        if (upload.State == UploadState.Processing)
        {
            var template = await templates.GetAsync(spec.Template, cancellationToken)
                ?? throw new InvalidOperationException($"Template {spec.Template} of {upload.DirectiveId}/{upload.TaskId} is missing.");
            var outcome = StatisticsParser.Parse(content, template, spec.Rules);
            upload = upload with
            {
                State = outcome.Accepted ? UploadState.Accepted : UploadState.Rejected,
                Values = outcome.Report?.Values,
                Errors = outcome.Errors,
                ProcessedAt = time.GetUtcNow(),
                Sheet = outcome.Sheet,
                Anchor = outcome.Anchor,
                WrittenUnit = outcome.Report?.UnitName,
            };
            await store.SaveOutcomeAsync(upload, cancellationToken);
        }

        var conflicts = 0;
        if (upload is { State: UploadState.Accepted, Values: { } values })
        {
            conflicts = await PutInForceAsync(upload, values, spec.Counts(upload.UnitId), !task.IsPastDeadline(upload.ReceivedAt), cancellationToken);
            await RecordSubmissionAsync(upload, task, cancellationToken);
        }

        return new(upload.State, conflicts);
    }

    /// <summary>
    /// An accepted spreadsheet is the unit's report for a statistics task: it counts as a "done"
    /// submission at the moment the file was received (so the ladder stops and lateness is judged by
    /// arrival, not by processing), under an id derived from the upload so reprocessing adds nothing.
    /// </summary>
    private async Task RecordSubmissionAsync(Upload upload, DirectiveTask task, CancellationToken cancellationToken)
    {
        var version = new Submissions.SubmissionVersion(
            "upload-" + upload.Id.Value,
            upload.DirectiveId,
            upload.TaskId,
            upload.UnitId,
            upload.ReceivedAt,
            Submissions.SubmissionStatus.Done,
            upload.SentBy == UploadSender.Office
                ? "Văn phòng gửi thay đơn vị báo cáo thống kê theo mẫu (tệp được chấp nhận)."
                : "Đã gửi báo cáo thống kê theo mẫu (tệp được chấp nhận).",
            task.IsPastDeadline(upload.ReceivedAt),
            [$"{Upload.Container}/{upload.BlobName}"]);
        await submissions.AddIfAbsentAsync(version, cancellationToken);
    }

    /// <returns>How many times the rows changed under this upload before its write went through.</returns>
    private async Task<int> PutInForceAsync(Upload upload, int[,] values, bool counted, bool onTime, CancellationToken cancellationToken)
    {
        var shard = Consolidation.ShardOf(upload.UnitId, Shards);
        FiguresTrack[] tracks = onTime ? [FiguresTrack.Current, FiguresTrack.AtDeadline] : [FiguresTrack.Current];
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var reads = await Task.WhenAll(tracks.Select(t => store.ReadAsync(upload.DirectiveId, upload.TaskId, t, upload.UnitId, shard, cancellationToken)));
            var writes = new List<TrackWrite>();
            for (var i = 0; i < tracks.Length; i++)
            {
                var current = reads[i].Figures.Value;
                if (current is not null && !upload.Id.IsNewerThan(current.UploadId))
                {
                    continue; // this upload, or a newer one, is already in force on this track
                }

                var totals = counted ? reads[i].Shard.Value.Replace(current is { Counted: true } ? current.Values : null, values) : null;
                writes.Add(new TrackWrite(tracks[i], new UnitFigures(upload.UnitId, upload.Id, values) { Counted = counted }, reads[i].Figures.Version, totals, reads[i].Shard.Version));
            }

            if (writes.Count == 0 || (await store.ApplyAsync(upload.DirectiveId, upload.TaskId, shard, writes, cancellationToken)).IsSuccess)
            {
                return attempt;
            }

            // Another upload of the same shard got there first: wait a little, at random, and read again.
            // A real wait, not the TimeProvider's: it paces storage calls, it does not read the clock.
            var ceiling = Math.Min(MaxBackoff.TotalMilliseconds, 5 * Math.Pow(2, attempt));
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), cancellationToken);
        }

        throw new InvalidOperationException("The totals kept changing under this upload; the host will retry it.");
    }
}
