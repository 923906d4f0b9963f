using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Escalation;

public enum AudienceKind
{
    /// <summary>A unit about its own tasks (reminders, step 1, the office's own reminders).</summary>
    Unit,

    /// <summary>A parent unit about its late sub-units (step 2), the office in copy.</summary>
    Parent,

    /// <summary>The standing committee and the inspection committee (step 3).</summary>
    Committees,

    /// <summary>The office itself (the digest; step 2 of a unit with no parent to tell).</summary>
    Office,
}

/// <summary>Whom an email is meant for — a unit, a parent unit, the committees, the office — whatever address it ends up at.</summary>
public readonly record struct Audience(AudienceKind Kind, UnitId? UnitId = null)
{
    public static Audience Committees { get; } = new(AudienceKind.Committees);

    public static Audience Office { get; } = new(AudienceKind.Office);

    public static Audience Unit(UnitId unit) => new(AudienceKind.Unit, unit);

    public static Audience Parent(UnitId parent) => new(AudienceKind.Parent, parent);

    /// <summary>As stored: <c>unit:{id}</c>, <c>parent:{id}</c>, <c>committees</c>, <c>office</c>.</summary>
    public override string ToString() => Kind switch
    {
        AudienceKind.Unit => $"unit:{UnitId}",
        AudienceKind.Parent => $"parent:{UnitId}",
        AudienceKind.Committees => "committees",
        _ => "office",
    };

    public static Result<Audience> Parse(string? text) => text switch
    {
        "committees" => Committees,
        "office" => Office,
        _ when text?.StartsWith("unit:", StringComparison.Ordinal) == true && Units.UnitId.Parse(text[5..]) is { IsSuccess: true } u => Unit(u.Value),
        _ when text?.StartsWith("parent:", StringComparison.Ordinal) == true && Units.UnitId.Parse(text[7..]) is { IsSuccess: true } p => Parent(p.Value),
        _ => Error.Validation("audience", "invalid-audience", "Không rõ thư gửi cho ai."),
    };
}

/// <summary>Why an email does not go where its audience would have it: each is said in the email and on the office's pages.</summary>
public enum Redirect
{
    None,

    /// <summary>The unit has no email address: its email goes to its parent.</summary>
    UnitToParent,

    /// <summary>The unit has no email address and its parent cannot take it (none, no address, a broken chain): its email goes to the office.</summary>
    UnitToOffice,

    /// <summary>The parent has no email address: the report about its sub-units goes to the office.</summary>
    ParentToOffice,

    /// <summary>The committees' addresses are not configured: step 3 goes to the office.</summary>
    CommitteesToOffice,
}

/// <summary>Where an email goes: its recipients (never empty when it is decided), copies, and why it went elsewhere than meant.</summary>
public sealed record Recipients(IReadOnlyList<EmailAddress> To, IReadOnlyList<EmailAddress> Cc, Redirect Redirect, Unit? Reader)
{
    public static readonly Recipients Nobody = new([], [], Redirect.None, null);

    public bool HasAnyone => To.Count > 0;
}

/// <summary>The office's addresses: its own (digests, copies, fallback) and the list for the standing and inspection committees.</summary>
public sealed record OfficeAddresses(EmailAddress? Office, IReadOnlyList<EmailAddress> Escalation)
{
    /// <summary>The office's address as a list: empty when none is configured.</summary>
    public IReadOnlyList<EmailAddress> OfficeOnly => Office is { } office ? [office] : [];
}

/// <summary>
/// Who gets an email meant for an <see cref="Audience"/>, from the unit tree and the configured
/// addresses as they are now (the office's "send again" asks again). No email is decided without a
/// recipient: a unit without an address is reached through its parent, then the office; step 3
/// without the committees' list goes to the office with a line saying so; when nobody can be
/// reached, <see cref="Recipients.Nobody"/>.
/// </summary>
public static class Addressing
{
    /// <summary>Whom step <paramref name="step"/> of <paramref name="unit"/>'s ladder is meant for.</summary>
    public static Audience AudienceOf(LadderStep step, UnitId unit, UnitTree tree) => step.Rung switch
    {
        Rung.Step2 => tree.ChainUpward(unit) is { IsBroken: false, Parent: { } parent } ? Audience.Parent(parent.Id) : Audience.Office,
        Rung.Step3 => Audience.Committees,
        _ => Audience.Unit(unit),
    };

    public static Recipients Resolve(Audience audience, UnitTree tree, OfficeAddresses office)
    {
        switch (audience.Kind)
        {
            case AudienceKind.Unit when audience.UnitId is { } unitId:
                if (tree.Find(unitId) is { Email: not null } unit)
                {
                    return new Recipients(unit.Emails, [], Redirect.None, unit);
                }

                return tree.ChainUpward(unitId) is { IsBroken: false, Parent: { Email: not null } forwarder }
                    ? new Recipients(forwarder.Emails, [], Redirect.UnitToParent, forwarder)
                    : ToOffice(office, Redirect.UnitToOffice);
            case AudienceKind.Parent when audience.UnitId is { } parentId:
                return tree.Find(parentId) is { Email: not null } parent
                    ? new Recipients(parent.Emails, office.OfficeOnly, Redirect.None, parent)
                    : ToOffice(office, Redirect.ParentToOffice);
            case AudienceKind.Committees:
                return office.Escalation.Count > 0
                    ? new Recipients(office.Escalation, [], Redirect.None, null)
                    : ToOffice(office, Redirect.CommitteesToOffice);
            default:
                return ToOffice(office, Redirect.None);
        }
    }

    private static Recipients ToOffice(OfficeAddresses office, Redirect redirect) =>
        office.Office is { } address ? new Recipients([address], [], redirect, null) : Recipients.Nobody;
}
