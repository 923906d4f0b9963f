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

    /// <summary>Forgets a fold key (its row is a hash of a member's details); forgetting one that is gone is fine.</summary>
    Task ForgetFoldAsync(string foldKey, CancellationToken cancellationToken);
}

/// <summary>The Party Building Board's desk for data-error reports: file, look up, list, move along the workflow.</summary>
public sealed class ErrorReportDesk(IErrorReportStore store, TimeProvider time)
{
    /// <summary>Files a report; an exact duplicate filed the same Vietnam day folds into the first (IsNew is then false).</summary>
    public Task<(ErrorReport Report, bool IsNew)> FileAsync(ErrorReportInput input, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var foldKey = input.FoldKey(now);
        var report = new ErrorReport(TrackingCode.New(), input, now, ErrorReportStatus.New, string.Empty, now)
        {
            ConsentAt = now,
            ConsentNotice = ErrorReportConsent.NoticeVersion,
            FoldKey = foldKey,
        };
        return store.AddOrFoldAsync(report, foldKey, cancellationToken);
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

    /// <summary>Every report about one member (see <see cref="ErrorReportInput.Concerns"/>), newest first, for export or erasure at the member's request.</summary>
    public async Task<Result<IReadOnlyList<ErrorReport>>> FindMemberAsync(string? memberName, string? contact, CancellationToken cancellationToken)
    {
        var name = Text.Clean(memberName, "memberName", 100);
        if (!name.IsSuccess)
        {
            return name.Error!;
        }

        var all = await store.ListAsync(null, cancellationToken);
        return Result<IReadOnlyList<ErrorReport>>.Success(all.Where(r => !r.IsAnonymised && r.Input.Concerns(name.Value, contact)).ToList());
    }

    /// <summary>Erases one member's details from every report about them (the member's request); returns the reports erased.</summary>
    public async Task<Result<IReadOnlyList<ErrorReport>>> EraseMemberAsync(string? memberName, string? contact, CancellationToken cancellationToken)
    {
        var found = await FindMemberAsync(memberName, contact, cancellationToken);
        if (!found.IsSuccess)
        {
            return found;
        }

        var erased = new List<ErrorReport>();
        foreach (var report in found.Value)
        {
            if (await AnonymiseAsync(report.Code, onRequest: true, retention: null, cancellationToken) is { } done)
            {
                erased.Add(done);
            }
        }

        return erased;
    }

    /// <summary>
    /// Anonymises every closed report whose retention period has run out (the timer's daily work).
    /// Idempotent: an anonymised report is not due again, and a report changed meanwhile is left to
    /// the next run. Returns the reports anonymised now.
    /// </summary>
    public async Task<IReadOnlyList<ErrorReport>> AnonymiseDueAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var done = new List<ErrorReport>();
        foreach (var report in (await store.ListAsync(null, cancellationToken)).Where(r => r.IsDueForAnonymisation(now, retention)))
        {
            if (await AnonymiseAsync(report.Code, onRequest: false, retention, cancellationToken) is { } anonymised)
            {
                done.Add(anonymised);
            }
        }

        return done;
    }

    private async Task<ErrorReport?> AnonymiseAsync(TrackingCode code, bool onRequest, TimeSpan? retention, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = time.GetUtcNow();
            if (await store.GetAsync(code, cancellationToken) is not { } current
                || current.Value.IsAnonymised
                || (retention is { } r && !current.Value.IsDueForAnonymisation(now, r)))
            {
                return null;
            }

            // The fold row first: should the process stop between the two, no hash of the details outlives them.
            if (current.Value.FoldKey is { } foldKey)
            {
                await store.ForgetFoldAsync(foldKey, cancellationToken);
            }

            var anonymised = current.Value.Anonymise(now, onRequest);
            var written = await store.ReplaceAsync(anonymised, current.Version, cancellationToken);
            if (written.IsSuccess)
            {
                return anonymised;
            }
        }

        return null;
    }
}
