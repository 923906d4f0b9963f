using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.ErrorReports;

/// <summary>Storage of data-error reports.</summary>
public interface IErrorReportStore
{
    /// <summary>Stores the report unless one with the same fold key exists; returns the report that stands for it, and whether it is this new one.</summary>
    Task<(ErrorReport Report, bool IsNew)> AddOrFoldAsync(ErrorReport report, string foldKey, CancellationToken cancellationToken);

    Task<Versioned<ErrorReport>?> GetAsync(TrackingCode code, CancellationToken cancellationToken);

    Task<IReadOnlyList<ErrorReport>> ListAsync(ErrorReportStatus? status, CancellationToken cancellationToken);

    /// <summary>Replaces the report if it is still at <paramref name="expectedVersion"/>; otherwise Conflict.</summary>
    Task<Result<ErrorReport>> ReplaceAsync(ErrorReport report, StoredVersion? expectedVersion, CancellationToken cancellationToken);
}

/// <summary>The Party Building Board's desk for data-error reports: file, look up, list, move along the workflow.</summary>
public sealed class ErrorReportDesk(IErrorReportStore store, TimeProvider time)
{
    /// <summary>Files a report; an exact duplicate filed the same Vietnam day folds into the first (IsNew is then false).</summary>
    public Task<(ErrorReport Report, bool IsNew)> FileAsync(ErrorReportInput input, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var report = new ErrorReport(TrackingCode.New(), input, now, ErrorReportStatus.New, string.Empty, now);
        return store.AddOrFoldAsync(report, input.FoldKey(now), cancellationToken);
    }

    public async Task<Result<ErrorReport>> FindAsync(string? code, CancellationToken cancellationToken)
    {
        var parsed = TrackingCode.Parse(code);
        return parsed.IsSuccess && await store.GetAsync(parsed.Value, cancellationToken) is { } found
            ? found.Value
            : Error.NotFound("report-not-found", "Không tìm thấy phản ánh với mã này.");
    }

    public Task<IReadOnlyList<ErrorReport>> ListAsync(ErrorReportStatus? status, CancellationToken cancellationToken) =>
        store.ListAsync(status, cancellationToken);

    public async Task<Result<ErrorReport>> MoveAsync(string? code, string? status, string? note, CancellationToken cancellationToken)
    {
        var next = ErrorReportStatuses.Parse(status);
        if (!next.IsSuccess)
        {
            return next.Error!;
        }

        var parsed = TrackingCode.Parse(code);
        if (!parsed.IsSuccess || await store.GetAsync(parsed.Value, cancellationToken) is not { } current)
        {
            return Error.NotFound("report-not-found", "Không tìm thấy phản ánh với mã này.");
        }

        var moved = current.Value.MoveTo(next.Value, note, time.GetUtcNow());
        return moved.IsSuccess ? await store.ReplaceAsync(moved.Value, current.Version, cancellationToken) : moved;
    }
}
