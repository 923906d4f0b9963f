using ServerlessWorkflow.Domain.Common;
using System.Security.Cryptography;
using System.Text;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>Which assignment a ladder belongs to.</summary>
public readonly record struct AssignmentKey(DirectiveId DirectiveId, TaskId TaskId, UnitId UnitId)
{
    /// <summary>
    /// The id of the notification for <paramref name="step"/> of this assignment: the same for every
    /// run that decides it, so storage can insert it only if absent — no race or rerun adds a second one.
    /// </summary>
    public string NotificationId(LadderStep step) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{DirectiveId}|{TaskId}|{UnitId}|{step.Name}")))[..32];

    public override string ToString() => $"{DirectiveId}|{TaskId}|{UnitId}";
}

/// <summary>What the ladder says for one assignment at one instant.</summary>
public sealed record LadderDecision(
    IReadOnlyList<LadderStep> Send,
    IReadOnlyList<LadderStep> Skip,
    DateTimeOffset? NextDueAt)
{
    public bool HasWork => Send.Count > 0 || Skip.Count > 0;
}

/// <summary>
/// The ladder of one assignment, as a pure function of its deadline, whether it is done, which
/// steps were already recorded, and now. It never looks at when the timer last ran: a missed,
/// failed or doubled run changes nothing about who gets what.
/// <list type="bullet">
/// <item>A unit that has completed the task gets nothing more, at once.</item>
/// <item>Every step whose time has come and that is not recorded is due, once.</item>
/// <item>Of several reminders due together, only the latest is sent (the others are recorded as
/// skipped); no reminder is sent once the deadline has passed — step 1 says it instead.</item>
/// </list>
/// </summary>
public static class Ladder
{
    public static LadderDecision Decide(EscalationPolicy policy, Deadline deadline, bool completed, IReadOnlySet<string> recorded, DateTimeOffset now)
    {
        if (completed)
        {
            return new LadderDecision([], [], null);
        }

        var pending = policy.Steps.Where(s => !recorded.Contains(s.Name)).ToList();
        var due = pending.Where(s => policy.DueAt(s, deadline) <= now).ToList();
        var send = new List<LadderStep>();
        var skip = new List<LadderStep>();
        var reminders = due.Where(s => s.Rung == Rung.Reminder).ToList();
        if (deadline.HasPassed(now))
        {
            skip.AddRange(reminders);
        }
        else if (reminders.Count > 0)
        {
            var latest = reminders.MinBy(r => r.Days);
            send.Add(latest);
            skip.AddRange(reminders.Where(r => r != latest));
        }

        send.AddRange(due.Where(s => s.Rung != Rung.Reminder));
        var next = pending.Except(due).Select(s => policy.DueAt(s, deadline)).DefaultIfEmpty().Min();
        return new LadderDecision(send, skip, next == default ? null : next);
    }

    /// <summary>Where a step's email goes: the unit (every address it has), its parent (copying the office), or the office's escalation list; a broken chain goes to the office.</summary>
    public static Recipients RecipientsFor(LadderStep step, Unit unit, UnitChain chain, OfficeAddresses office) => step.Rung switch
    {
        Rung.Reminder or Rung.Step1 => new Recipients(unit.Emails, [], BrokenChain: false),
        Rung.Step2 when !chain.IsBroken && chain.Parent is { } parent => new Recipients(parent.Emails, office.OfficeOnly, BrokenChain: false),
        Rung.Step2 => new Recipients(office.OfficeOnly, [], BrokenChain: chain.IsBroken),
        Rung.Step3 => new Recipients(office.Escalation.Count > 0 ? office.Escalation : office.OfficeOnly, [], BrokenChain: chain.IsBroken),
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };
}

/// <summary>The office's addresses: its own (digests, copies, fallback) and the list for the standing and inspection committees.</summary>
public sealed record OfficeAddresses(EmailAddress? Office, IReadOnlyList<EmailAddress> Escalation)
{
    /// <summary>The office's address as a list: empty when none is configured.</summary>
    public IReadOnlyList<EmailAddress> OfficeOnly => Office is { } office ? [office] : [];
}

public sealed record Recipients(IReadOnlyList<EmailAddress> To, IReadOnlyList<EmailAddress> Cc, bool BrokenChain);
