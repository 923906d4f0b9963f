using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// A caller's <c>Idempotency-Key</c> (or the new-directive form's hidden token), scoped to the caller
/// (<see cref="Scope"/>: an account, a program's key): two people's keys never meet. 1 to
/// <see cref="MaxLength"/> visible ASCII characters; stores keep only a hash of it.
/// </summary>
public sealed record IdempotencyKey
{
    public const int MaxLength = 255;
    public const string Field = "Idempotency-Key";

    private IdempotencyKey(string scope, string value) => (Scope, Value) = (scope, value);

    public string Scope { get; }

    public string Value { get; }

    public static Result<IdempotencyKey> Parse(string? text, AuditActor caller)
    {
        var value = text?.Trim();
        return value is { Length: > 0 and <= MaxLength } && value.All(c => c is >= ' ' and <= '~')
            ? new IdempotencyKey($"{caller.Kind}:{caller.Id}", value)
            : Error.Validation(Field, "invalid-idempotency-key", $"Mã chống gửi trùng phải có từ 1 đến {MaxLength} ký tự chữ, số hoặc dấu (không dấu tiếng Việt).");
    }
}

/// <summary>What a key registered: the request's fingerprint (<see cref="RegistrationFingerprint"/>), the directive's id and the moment it was registered.</summary>
public sealed record RegistrationClaim(string Fingerprint, DirectiveId DirectiveId, DateTimeOffset RegisteredAt);

/// <summary>Which directive each idempotency key registered.</summary>
public interface IRegistrationClaims
{
    Task<RegistrationClaim?> FindAsync(IdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="claim"/> unless the key holds one already; returns the claim the key holds afterwards (this one, or the one stored first).</summary>
    Task<RegistrationClaim> ClaimAsync(IdempotencyKey key, RegistrationClaim claim, CancellationToken cancellationToken);
}

/// <summary>Whether the audit trail already holds the registration of a directive (asked only when a registration is finished by a retry or a repair).</summary>
public interface IRegistrationAudits
{
    Task<bool> RecordedAsync(DirectiveId id, CancellationToken cancellationToken);
}

/// <summary>The note of a registration under way: which directive, who registers it (for the audit trail, should a repair finish it), since when.</summary>
public sealed record PendingRegistration(DirectiveId Id, AuditActor Actor, DateTimeOffset StartedAt);

/// <summary>
/// A registration as the office gets it: the directive with its links and warnings; whether it
/// was <see cref="Replayed"/> (an earlier request with the same key had registered it whole); the
/// other directives with the same number (<see cref="DirectiveNumbers"/>).
/// </summary>
public sealed record Registration(Registered Registered, bool Replayed, IReadOnlyList<Directive> SameNumber);

/// <summary>What a repair did: registrations finished (their header was written) and notes dropped (the header was never written: nothing of it was ever visible).</summary>
public sealed record RepairReport(int Finished, int Dropped);

/// <summary>
/// Registers directives so that a crash or a storage error at any point never leaves a directive
/// that exists without its due-time index, and a retried request never registers it twice.
/// <para>The writes, in order (each repeatable):</para>
/// <list type="number">
/// <item>with an <see cref="IdempotencyKey"/>: the key's claim (the directive's id and time), stored
/// if the key holds none;</item>
/// <item>the note "registration under way" (who, when) and the assignments — nobody reads them yet;</item>
/// <item>the deadline check's index (<see cref="DirectiveRegistry.IndexAsync"/>);</item>
/// <item>the header: from here the directive exists — its board, its units' links, the check;</item>
/// <item>its line in the office's list;</item>
/// <item>the audit trail's entry;</item>
/// <item>the office's read models and the units' notices (<see cref="DirectiveRegistry.RegisteredAsync"/>; the notices' hint is written just before the header);</item>
/// <item>the note removed.</item>
/// </list>
/// <para>
/// So whatever exists has its index. A registration cut short is finished by the retry with the
/// same key (which rebuilds the same directive — same id, same time — and repeats the writes), or
/// by <see cref="RepairAsync"/> at the next deadline check: a note older than <see cref="Grace"/>
/// whose header exists gets its index, list line and audit entry again (an audit entry is never
/// written twice: <see cref="IRegistrationAudits"/>); one whose header was never written is
/// dropped — its assignments and index entries are read by nobody (the check drops index entries of
/// an unknown directive).
/// </para>
/// <para>
/// The same key again: the same directive (<see cref="Registration.Replayed"/> when it was already
/// whole); with another request (fingerprint) it is a conflict. A second request that arrives
/// while the first is still writing (a double press) waits for it up to <see cref="WaitForFirst"/>,
/// then finishes it itself.
/// </para>
/// </summary>
public sealed class RegistrationDesk(
    DirectiveRegistry registry,
    IDirectiveStore directives,
    IRegistrationClaims claims,
    IAuditTrail trail,
    IRegistrationAudits audits,
    UnitRegistry units,
    ICalendarSource calendars,
    TimeProvider time)
{
    /// <summary>How old a note must be before the repair touches it: a registration takes seconds.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <summary>How long a second request with the same key waits for the first to finish.</summary>
    public static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(5);

    /// <summary>A claim older than this belongs to a request that is not writing any more: a retry finishes its registration at once.</summary>
    public static readonly TimeSpan StillWriting = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<Result<Registration>> RegisterAsync(DirectiveInput input, AuditActor actor, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var fingerprint = RegistrationFingerprint.Of(input);
        if (key is not null && await claims.FindAsync(key, cancellationToken) is { } earlier)
        {
            return await RetryAsync(earlier, fingerprint, input, actor, cancellationToken);
        }

        var calendar = await calendars.CurrentAsync(cancellationToken);
        var (checkedDirective, tree) = await registry.CheckAsync(input, calendar, cancellationToken);
        if (!checkedDirective.IsSuccess)
        {
            return checkedDirective.Error!;
        }

        var directive = checkedDirective.Value;
        var same = await SameNumberAsync(directive.Number, directive.IssuedOn, directive.Id, cancellationToken);

        // From the claim on, the registration is not given up when the caller goes away (a browser's
        // second press cancels its first request): each write is bounded by the storage client's
        // time-outs, and the second request with the same key then finds the directive whole at once.
        if (key is not null)
        {
            var held = await claims.ClaimAsync(key, new RegistrationClaim(fingerprint, directive.Id, directive.RegisteredAt), CancellationToken.None);
            if (held.DirectiveId != directive.Id)
            {
                return await RetryAsync(held, fingerprint, input, actor, cancellationToken);
            }
        }

        await WriteAsync(directive, calendar, actor, auditMayExist: false);
        return new Registration(registry.Describe(directive, calendar, tree), Replayed: false, same);
    }

    /// <summary>What <paramref name="key"/> registered, if anything.</summary>
    public Task<RegistrationClaim?> ClaimOfAsync(IdempotencyKey key, CancellationToken cancellationToken) => claims.FindAsync(key, cancellationToken);

    /// <summary>The directives other than <paramref name="except"/> with this number in the year of <paramref name="issuedOn"/>.</summary>
    public async Task<IReadOnlyList<Directive>> SameNumberAsync(string number, DateOnly issuedOn, DirectiveId? except, CancellationToken cancellationToken) =>
        DirectiveNumbers.SameNumber(number, issuedOn, await directives.ListAsync(cancellationToken), except);

    /// <summary>
    /// Finishes what registrations cut short left (see the class): run by the deadline check before
    /// it reads its index, so a directive finished here is reminded about in the same run.
    /// </summary>
    public async Task<RepairReport> RepairAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        int finished = 0, dropped = 0;
        WorkingCalendar? calendar = null;
        foreach (var note in await directives.UnfinishedAsync(cancellationToken))
        {
            if (now - note.Value.StartedAt < Grace)
            {
                continue;
            }

            if (await directives.GetAsync(note.Value.Id, cancellationToken) is { } directive)
            {
                calendar ??= await calendars.CurrentAsync(cancellationToken);
                await registry.IndexAsync(directive, calendar, cancellationToken);
                await directives.PublishAsync(directive, cancellationToken);
                await AuditAsync(directive, note.Value.Actor, mayExist: true, cancellationToken);
                await registry.RegisteredAsync(directive, cancellationToken);
                finished++;
            }
            else
            {
                dropped++;
            }

            await directives.FinishAsync(note.Value.Id, note.Version, cancellationToken);
        }

        return new RepairReport(finished, dropped);
    }

    /// <summary>The writes, in their order; not cancelled with the request that began them (see <see cref="RegisterAsync"/>).</summary>
    private async Task WriteAsync(Directive directive, WorkingCalendar calendar, AuditActor actor, bool auditMayExist)
    {
        var cancellationToken = CancellationToken.None;
        await directives.BeginAsync(new PendingRegistration(directive.Id, actor, time.GetUtcNow()), directive, cancellationToken);
        await registry.IndexAsync(directive, calendar, cancellationToken);
        await registry.RegisteringAsync(directive, cancellationToken);
        await directives.PublishAsync(directive, cancellationToken);
        await AuditAsync(directive, actor, auditMayExist, cancellationToken);
        await registry.RegisteredAsync(directive, cancellationToken);
        await directives.FinishAsync(directive.Id, null, cancellationToken);
    }

    /// <summary>The same key again: the directive it registered, waiting for a request still writing it, or finishing what one left.</summary>
    private async Task<Result<Registration>> RetryAsync(RegistrationClaim claim, string fingerprint, DirectiveInput input, AuditActor actor, CancellationToken cancellationToken)
    {
        if (claim.Fingerprint != fingerprint)
        {
            return Error.Conflict("idempotency-key-reused", "Mã chống gửi trùng này đã được dùng để tạo một công văn khác. Muốn tạo công văn mới, hãy dùng mã mới.");
        }

        var waiting = System.Diagnostics.Stopwatch.StartNew();
        var writing = time.GetUtcNow() - claim.RegisteredAt < StillWriting;
        while (true)
        {
            var stored = await directives.GetAsync(claim.DirectiveId, cancellationToken);
            var pending = await directives.PendingAsync(claim.DirectiveId, cancellationToken);
            if (stored is not null && pending is null)
            {
                var calendar = await calendars.CurrentAsync(cancellationToken);
                var same = await SameNumberAsync(stored.Number, stored.IssuedOn, stored.Id, cancellationToken);
                return new Registration(registry.Describe(stored, calendar, await units.TreeAsync(cancellationToken)), Replayed: true, same);
            }

            if (!writing || waiting.Elapsed >= WaitForFirst)
            {
                return await FinishAsync(claim, stored, input, actor, cancellationToken);
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>Finishes a registration a request with the same key began: from its header when it was written (then its assignments and index were), else rebuilt from the same input, id and time.</summary>
    private async Task<Result<Registration>> FinishAsync(RegistrationClaim claim, Directive? stored, DirectiveInput input, AuditActor actor, CancellationToken cancellationToken)
    {
        var calendar = await calendars.CurrentAsync(cancellationToken);
        var tree = await units.TreeAsync(cancellationToken);
        var directive = stored;
        if (directive is null)
        {
            // Checked again as the first time (a unit or template may have changed since), then given the claimed id and time.
            var (again, _) = await registry.CheckAsync(input, calendar, cancellationToken);
            if (!again.IsSuccess)
            {
                return again.Error!;
            }

            directive = again.Value with { Id = claim.DirectiveId, RegisteredAt = claim.RegisteredAt };
        }

        var same = await SameNumberAsync(directive.Number, directive.IssuedOn, directive.Id, cancellationToken);
        await WriteAsync(directive, calendar, actor, auditMayExist: true);
        return new Registration(registry.Describe(directive, calendar, tree), Replayed: false, same);
    }

    /// <summary>The audit entry of the registration; when a retry or repair finishes one, only if the trail does not hold it yet.</summary>
    private async Task AuditAsync(Directive directive, AuditActor actor, bool mayExist, CancellationToken cancellationToken)
    {
        if (mayExist && await audits.RecordedAsync(directive.Id, cancellationToken))
        {
            return;
        }

        await trail.AppendAsync(
            new AuditEvent
            {
                At = directive.RegisteredAt,
                Actor = actor,
                Action = AuditAction.DirectiveRegistered,
                Subject = directive.Number,
                DirectiveId = directive.Id.Value,
                Summary = $"{directive.Number}: {directive.Subject} ({directive.Tasks.Count} nhiệm vụ)",
                Changes = directive.Tasks.Select(t => new AuditChange($"Nhiệm vụ {t.Id.Value}", null, $"{t.Title}, {t.DeadlineText}")).ToList(),
            },
            cancellationToken);
    }
}
