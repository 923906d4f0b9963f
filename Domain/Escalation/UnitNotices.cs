using System.Security.Cryptography;
using System.Text;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Links;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>The kinds of email that tell a unit of its tasks and its link, outside the ladder: their step names in the outbox and how the office's pages call them.</summary>
public static class NoticeSteps
{
    /// <summary>A unit is told it was given tasks (on registration, or when an edit adds it): one per (directive, unit, link version).</summary>
    public const string Assigned = "notice";

    /// <summary>The office revoked the unit's link and issued a new one: the new link, one per (directive, unit, link version).</summary>
    public const string Reissued = "notice-new-link";

    /// <summary>The office sent the unit its link again: one per press of the button.</summary>
    public const string Resent = "notice-resent";

    public static bool IsNotice(string step) => step is Assigned or Reissued or Resent;

    /// <summary>What the office's pages call an email of <paramref name="step"/>: a ladder step's name, a notice's, or the digest.</summary>
    public static string DisplayName(string step) => step switch
    {
        Assigned => "Thư giao nhiệm vụ",
        Reissued => "Thư gửi đường dẫn mới",
        Resent => "Thư gửi lại đường dẫn",
        _ => LadderStep.Parse(step) is { } ladder ? ladder.DisplayName : "Thư tổng hợp hằng ngày",
    };
}

/// <summary>What telling units did: emails added to the outbox, already there, and units nobody could be reached for.</summary>
public sealed record NoticeReport(int Added, int Existing, IReadOnlyList<UnitId> Unreachable);

/// <summary>
/// Tells each unit of a directive, by one email through the outbox (the ladder's machinery: the
/// sender, its retries, the office's outbox page), what it was given: the directive, its tasks with
/// their deadlines ("không có hạn" for a task without one) and its own link. Reconcile-driven, so it
/// is idempotent and never lost: the email's id is derived from (directive, unit, link version), so
/// however often a unit is told, it gets one email per link; registration leaves a hint on the index
/// BEFORE the directive is stored (<see cref="ExpectAsync"/>) and removes it once every unit's email is
/// in the outbox (<see cref="TellAsync"/>), and each deadline check repairs what a crash in between
/// left (<see cref="RepairAsync"/>). The office can send one unit its link again (one email per press)
/// and revoke a unit's link and issue a new one (<see cref="ReissueAsync"/>): the unit's link version
/// goes up, links of older versions are answered "replaced", and the new link goes out by email.
/// An edit that adds units to tasks (<see cref="IDirectiveNotices"/>) is told the same way: the hint
/// before the edit is stored, then <see cref="TellAsync"/>, so a unit new to the directive gets its
/// email; a unit already in it that was given another task gets one more email listing its tasks, one
/// per (directive, unit, link version, revision of the edit).
/// </summary>
public sealed class UnitNotices(
    IDirectiveStore directives,
    IDirectiveStateStore states,
    IEscalationStore store,
    UnitRegistry units,
    IUnitLinks links,
    OfficeAddresses office,
    TimeProvider time) : IRegistrationListener, IDirectiveNotices
{
    /// <summary>A hint older than this whose directive does not exist is a registration that never finished: dropped.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    public const int MaxRepairsPerRun = 200;

    /// <summary>Before storing a directive (or an edit that adds units): leaves the hint the deadline check repairs from, should the process stop before <see cref="TellAsync"/>.</summary>
    public Task ExpectAsync(DirectiveId directive, CancellationToken cancellationToken) => store.ExpectNoticesAsync(directive, time.GetUtcNow(), cancellationToken);

    /// <summary>
    /// THE call after registering a directive or storing an edit that adds units to it: every unit of
    /// the directive that has not yet been told for its current link gets its email (in the outbox, sent
    /// by the next run); units told already get nothing more. Then the hint is removed.
    /// </summary>
    public async Task<NoticeReport> TellAsync(Directive directive, CancellationToken cancellationToken)
    {
        if (await states.ClosureAsync(directive.Id, cancellationToken) is not null)
        {
            await store.NoticesDoneAsync(directive.Id, cancellationToken);
            return new NoticeReport(0, 0, []);
        }

        var tree = await units.TreeAsync(cancellationToken);
        var versions = await states.LinkVersionsAsync(directive.Id, cancellationToken);
        var entries = new List<OutboxEntry>();
        var unreachable = new List<UnitId>();
        // A unit whose every task the office cancelled before it was told is not told of them.
        foreach (var unit in directive.AssignedUnits.Where(u => directive.Tasks.Any(t => t.Units.Contains(u) && t.Cancelled is null)))
        {
            var version = versions.GetValueOrDefault(unit, UnitLink.FirstVersion);
            if (version > UnitLink.FirstVersion)
            {
                continue; // the email of its new link told it its tasks (ReissueAsync)
            }

            var entry = Compose(NoticeSteps.Assigned, NoticeId(directive.Id, unit, NoticeSteps.Assigned, version.ToString(System.Globalization.CultureInfo.InvariantCulture)), directive, unit, version, tree);
            if (entry is null)
            {
                unreachable.Add(unit);
            }
            else
            {
                entries.Add(entry);
            }
        }

        var added = await store.AddEmailsAsync(entries, cancellationToken);
        await store.NoticesDoneAsync(directive.Id, cancellationToken);
        return new NoticeReport(added, entries.Count - added, unreachable);
    }

    Task IRegistrationListener.RegisteringAsync(Directive directive, CancellationToken cancellationToken) => ExpectAsync(directive.Id, cancellationToken);

    Task IRegistrationListener.RegisteredAsync(Directive directive, CancellationToken cancellationToken) => TellAsync(directive, cancellationToken);

    Task IDirectiveNotices.UnitsAddingAsync(DirectiveId directive, CancellationToken cancellationToken) => ExpectAsync(directive, cancellationToken);

    async Task IDirectiveNotices.UnitsAddedAsync(Directive directive, IReadOnlyList<AssignmentKey> added, IReadOnlyList<IssuedLink> links, CancellationToken cancellationToken) =>
        await TellAddedAsync(directive, added, cancellationToken);

    /// <summary>
    /// After an edit that added units to tasks of <paramref name="directive"/> (as it is after the
    /// edit): units new to the directive are told as at registration (<see cref="TellAsync"/>, which
    /// also removes the hint); a unit already in it, given another task, gets one email listing its
    /// tasks, once per revision of the directive.
    /// </summary>
    public async Task<NoticeReport> TellAddedAsync(Directive directive, IReadOnlyList<AssignmentKey> added, CancellationToken cancellationToken)
    {
        var told = await TellAsync(directive, cancellationToken);
        var known = added.Select(k => k.UnitId).Distinct()
            .Where(u => directive.Tasks.Any(t => t.Units.Contains(u) && !added.Contains(new AssignmentKey(directive.Id, t.Id, u))))
            .ToList();
        if (known.Count == 0 || await states.ClosureAsync(directive.Id, cancellationToken) is not null)
        {
            return told;
        }

        var tree = await units.TreeAsync(cancellationToken);
        var versions = await states.LinkVersionsAsync(directive.Id, cancellationToken);
        var entries = new List<OutboxEntry>();
        var unreachable = new List<UnitId>(told.Unreachable);
        foreach (var unit in known)
        {
            var version = versions.GetValueOrDefault(unit, UnitLink.FirstVersion);
            var discriminator = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{version}|r{directive.Revision}");
            if (Compose(NoticeSteps.Assigned, NoticeId(directive.Id, unit, NoticeSteps.Assigned, discriminator), directive, unit, version, tree) is { } entry)
            {
                entries.Add(entry);
            }
            else
            {
                unreachable.Add(unit);
            }
        }

        var more = await store.AddEmailsAsync(entries, cancellationToken);
        return new NoticeReport(told.Added + more, told.Existing + entries.Count - more, unreachable);
    }

    /// <summary>The deadline check's repair: tells the units of every directive whose hint is still there; drops hints of registrations that never finished.</summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var repaired = 0;
        foreach (var (id, since) in await store.ExpectedNoticesAsync(MaxRepairsPerRun, cancellationToken))
        {
            if (await directives.GetAsync(id, cancellationToken) is { } directive)
            {
                repaired += (await TellAsync(directive, cancellationToken)).Added;
            }
            else if (now - since > AbandonedAfter)
            {
                await store.NoticesDoneAsync(id, cancellationToken);
            }
        }

        return repaired;
    }

    /// <summary>
    /// Sends one unit its link again, with its tasks: one email per press — <paramref name="pressKey"/>
    /// (the form's own key, or the program's Idempotency-Key) makes a double post one email.
    /// </summary>
    public async Task<Result<(OutboxEntry Email, bool Added)>> ResendAsync(string? directiveId, string? unitId, string? pressKey, CancellationToken cancellationToken)
    {
        var found = await FindAsync(directiveId, unitId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (directive, unit) = found.Value;
        var key = string.IsNullOrWhiteSpace(pressKey) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : pressKey.Trim();
        if (key.Length > 100)
        {
            return Error.Validation("Idempotency-Key", "invalid-key", "Khóa chống gửi trùng dài tối đa 100 ký tự.");
        }

        var version = await states.LinkVersionAsync(directive.Id, unit, cancellationToken);
        var entry = Compose(NoticeSteps.Resent, NoticeId(directive.Id, unit, NoticeSteps.Resent, key), directive, unit, version, await units.TreeAsync(cancellationToken));
        if (entry is null)
        {
            return NoRecipient;
        }

        var added = await store.AddEmailAsync(entry, cancellationToken);
        return ((await store.EmailAsync(entry.Scope, entry.Id, cancellationToken))?.Value ?? entry, added);
    }

    /// <summary>
    /// Revokes the unit's link and issues a new one: its version goes from <paramref name="fromVersion"/>
    /// (the version the office saw; none: the current one) to the next, and the new link goes out by
    /// email. A second post of the same form (its version no longer current) changes nothing and
    /// answers the link in force. The new version, and its email.
    /// </summary>
    public async Task<Result<(int Version, OutboxEntry? Email, bool Changed)>> ReissueAsync(string? directiveId, string? unitId, int? fromVersion, CancellationToken cancellationToken)
    {
        var found = await FindAsync(directiveId, unitId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (directive, unit) = found.Value;
        var current = await states.LinkVersionAsync(directive.Id, unit, cancellationToken);
        var changed = false;
        if (fromVersion is null || fromVersion == current)
        {
            var raised = await states.RaiseLinkVersionAsync(directive.Id, unit, current, cancellationToken);
            if (raised.IsSuccess)
            {
                (current, changed) = (raised.Value, true);
            }
            else
            {
                current = await states.LinkVersionAsync(directive.Id, unit, cancellationToken);
            }
        }

        if (changed)
        {
            await RetireNoticesAsync(directive.Id, unit, cancellationToken);
        }

        var id = NoticeId(directive.Id, unit, NoticeSteps.Reissued, current.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var entry = Compose(NoticeSteps.Reissued, id, directive, unit, current, await units.TreeAsync(cancellationToken));
        if (entry is not null)
        {
            await store.AddEmailAsync(entry, cancellationToken);
        }

        return (current, entry is null ? null : (await store.EmailAsync(directive.Id.Value, id, cancellationToken))?.Value ?? entry, changed);
    }

    /// <summary>The unit's notices still waiting to be sent carry the link just replaced: not sent (the new link has its own email).</summary>
    private async Task RetireNoticesAsync(DirectiveId directive, UnitId unit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var waiting in (await store.OutboxAsync(directive.Value, cancellationToken))
            .Where(e => e.State == OutboxState.Pending && NoticeSteps.IsNotice(e.Step) && e.Audience == Audience.Unit(unit)))
        {
            if (await store.EmailAsync(directive.Value, waiting.Id, cancellationToken) is { Value.State: OutboxState.Pending } read)
            {
                await store.UpdateOutboxAsync(read.Value with { State = OutboxState.Skipped, Note = OutboxNote.LinkReplaced, SettledAt = now, NextAttemptAt = null }, read.Version, cancellationToken);
            }
        }
    }

    /// <summary>The unit's link in force (its current version), for the office's pages.</summary>
    public async Task<(string Url, int Version)> LinkAsync(Directive directive, UnitId unit, CancellationToken cancellationToken)
    {
        var version = await states.LinkVersionAsync(directive.Id, unit, cancellationToken);
        return (links.UrlFor(directive, unit, version), version);
    }

    /// <summary>The id of a notice: from (directive, unit, kind, and the link version or the press), so it exists at most once.</summary>
    public static string NoticeId(DirectiveId directive, UnitId unit, string step, string discriminator) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{directive}|{unit}|{step}|{discriminator}")))[..32];

    private static Error NoRecipient => Error.Conflict("no-recipient", "Không gửi được: đơn vị, đơn vị cấp trên và Văn phòng đều chưa có địa chỉ thư điện tử.");

    private async Task<Result<(Directive Directive, UnitId Unit)>> FindAsync(string? directiveId, string? unitId, CancellationToken cancellationToken)
    {
        var directive = DirectiveId.Parse(directiveId) is { IsSuccess: true } id ? await directives.GetAsync(id.Value, cancellationToken) : null;
        if (directive is null || UnitId.Parse(unitId) is not { IsSuccess: true } unit || !directive.AssignedUnits.Contains(unit.Value))
        {
            return Error.NotFound("assignment-not-found", "Không tìm thấy đơn vị trong công văn này.");
        }

        if (await states.ClosureAsync(directive.Id, cancellationToken) is { } closure)
        {
            return Error.Conflict("directive-closed", $"Công văn đã kết thúc ngày {closure.Day}; không gửi đường dẫn cho đơn vị nữa. Muốn gửi, xin mở lại công văn trước.");
        }

        return (directive, unit.Value);
    }

    /// <summary>The notice of <paramref name="step"/> for <paramref name="unit"/>, addressed as the unit list says now; none when nobody can be reached.</summary>
    private OutboxEntry? Compose(string step, string id, Directive directive, UnitId unit, int version, UnitTree tree)
    {
        var recipients = Addressing.Resolve(Audience.Unit(unit), tree, office);
        if (!recipients.HasAnyone)
        {
            return null;
        }

        // A task the office cancelled is given to nobody any more (listed only if all of the unit's are: a link sent again).
        var all = directive.Tasks.Where(t => t.Units.Contains(unit)).ToList();
        var tasks = all.Where(t => t.Cancelled is null).ToList() is { Count: > 0 } live ? live : all;
        return new OutboxEntry
        {
            Id = id,
            Scope = directive.Id.Value,
            Step = step,
            Assignments = tasks.Select(t => new AssignmentKey(directive.Id, t.Id, unit)).ToList(),
            Audience = Audience.Unit(unit),
            To = recipients.To,
            Cc = recipients.Cc,
            Content = NoticeEmails.For(step, directive, tasks, unit, tree.Find(unit), recipients, links.UrlFor(directive, unit, version)),
            CreatedAt = time.GetUtcNow(),
        };
    }
}

/// <summary>
/// The notices in the office's Vietnamese: which directive, each task the unit was given with its
/// deadline (dd/MM/yyyy, or "không có hạn"), and the unit's own link; the new-link email says the old
/// one no longer works. Where the unit has no address, the email says through whom it reaches it.
/// </summary>
public static class NoticeEmails
{
    public static EmailContent For(string step, Directive directive, IReadOnlyList<DirectiveTask> tasks, UnitId unitId, Unit? unit, Recipients recipients, string link)
    {
        var unitName = unit?.Name ?? unitId.Value;
        var source = $"Công văn số {directive.Number} ngày {VietnamTime.Format(directive.IssuedOn)} của {directive.Issuer} về việc {directive.Subject}";
        var paragraphs = new List<string>();
        var subject = step switch
        {
            NoticeSteps.Reissued => $"Đường dẫn mới để báo cáo Công văn số {directive.Number}",
            NoticeSteps.Resent => $"Gửi lại đường dẫn báo cáo Công văn số {directive.Number}",
            _ => $"Giao nhiệm vụ: Công văn số {directive.Number} — {directive.Subject}",
        };
        paragraphs.Add(step == NoticeSteps.Assigned
            ? $"Thực hiện {source}, Văn phòng Đảng ủy thông báo đơn vị được giao {(tasks.Count == 1 ? "nhiệm vụ" : "các nhiệm vụ")} sau:"
            : $"Theo {source}, đơn vị được giao {(tasks.Count == 1 ? "nhiệm vụ" : "các nhiệm vụ")} sau:");
        paragraphs.AddRange(tasks.Select(t => $"  - {t.Title} ({DeadlineOf(t)})."));
        paragraphs.Add(step == NoticeSteps.Reissued
            ? "Văn phòng đã cấp đường dẫn mới cho đơn vị; đường dẫn gửi trước đây không còn dùng được. Đề nghị đơn vị báo cáo kết quả tại đường dẫn mới dưới đây (không cần tài khoản, không chuyển cho đơn vị khác):"
            : "Đề nghị đơn vị thực hiện và báo cáo kết quả tại đường dẫn riêng của đơn vị dưới đây (không cần tài khoản, không chuyển cho đơn vị khác):");
        var salutation = $"Kính gửi: {unitName}";
        switch (recipients.Redirect)
        {
            case Redirect.UnitToParent:
                salutation = $"Kính gửi: {recipients.Reader?.Name}";
                subject = $"Chuyển {unitName} — {subject}";
                paragraphs.Insert(0, $"Thư này gửi tới {unitName}; vì đơn vị chưa có địa chỉ thư điện tử trên hệ thống, Văn phòng gửi qua đơn vị cấp trên, đề nghị đồng chí chuyển tới đơn vị.");
                break;
            case Redirect.UnitToOffice:
                salutation = "Kính gửi: Văn phòng Đảng ủy";
                subject = $"Chuyển {unitName} — {subject}";
                paragraphs.Insert(0, $"Thư này gửi tới {unitName}; vì đơn vị và cấp trên chưa có địa chỉ thư điện tử trên hệ thống, thư được gửi về Văn phòng, đề nghị Văn phòng báo trực tiếp cho đơn vị.");
                break;
        }

        return Emails.Compose(subject, salutation, paragraphs, link);
    }

    /// <summary>"hạn hết ngày 25/02/2026", or "không có hạn" for a task without a deadline.</summary>
    private static string DeadlineOf(DirectiveTask task) => task.Deadline is { } deadline ? $"hạn hết ngày {deadline.Display}" : "không có hạn";
}
