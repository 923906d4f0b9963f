using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Shared.Http;

namespace ServerlessWorkflow.Functions.Features.Units;

/// <summary>
/// <c>PUT /api/units/{unitId}</c>: a unit as the office sends it, as JSON or a form. <c>kind</c>
/// (<c>party-organisation</c> when absent; <c>mass-organisation</c>, <c>party-board</c>,
/// <c>inspection-committee</c>, <c>office</c>); <c>level</c> 1–4 as in the template, for party
/// organisations only; addresses in <c>emails</c> and/or <c>email</c> (the older body's one
/// address), none when the unit has no address; <c>phone</c> and <c>contact</c> (the secretary's or contact's name) optional.
/// </summary>
public sealed record PutUnitRequest(
    string? Name,
    string? Level,
    string? ParentId,
    string? Email,
    string? Kind = null,
    IReadOnlyList<string?>? Emails = null,
    string? Phone = null,
    string? Contact = null) : IRequestBody<PutUnitRequest>
{
    public static bool ReadsForm => true;

    public static PutUnitRequest FromForm(IFormCollection form) =>
        new(form["name"], form["level"], form["parentId"], form["email"], form["kind"], form["emails"].ToList(), form["phone"], form["contact"]);

    /// <summary>The fields for <see cref="Unit.Create(UnitId, UnitInput)"/>: every address given, in either field.</summary>
    public UnitInput ToInput() => new(Name, Level, ParentId, [Email, .. Emails ?? []], Kind, Phone, Contact);
}

/// <summary><c>POST /api/units/import</c>: a unit list as CSV, sent as text/csv or as an uploaded file (or a <c>csv</c> field) of a form.</summary>
public sealed record ImportUnitsRequest(string Csv) : IRequestBody<ImportUnitsRequest>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static bool ReadsText => true;

    public static ImportUnitsRequest FromText(string text) => new(text);

    /// <remarks>Only the form path needs the file in memory; the limit of the endpoint bounds it.</remarks>
    public static ImportUnitsRequest FromForm(IFormCollection form)
    {
        if (form.Files.Count == 0)
        {
            return new(form["csv"].ToString());
        }

        using var reader = new StreamReader(form.Files[0].OpenReadStream(), System.Text.Encoding.UTF8);
        return new(reader.ReadToEnd());
    }
}

/// <summary>A unit as the API shows it: <c>email</c> is its first address (none when the unit has no address: its mail goes to its parent, then the office), <c>emails</c> all of them; <c>level</c> is null for bodies without one.</summary>
public sealed record UnitResponse(
    string Id,
    string Name,
    UnitKind Kind,
    string KindName,
    int? Level,
    string LevelName,
    string? ParentId,
    string? Email,
    IReadOnlyList<string> Emails,
    string Phone,
    string Contact,
    UnitState State,
    string? MergedInto)
{
    public static UnitResponse Of(Unit unit) =>
        new(unit.Id.Value, unit.Name, unit.Kind, UnitKinds.Name(unit.Kind), unit.Level is { } level ? (int)level : null, unit.LevelOrKindName,
            unit.ParentId?.Value, unit.Email?.Value, unit.Emails.Select(e => e.Value).ToList(), unit.Phone, unit.Contact, unit.State, unit.MergedInto?.Value);
}

/// <summary>A unit of the list, and whether its chain up to the top is broken (a parent missing or at the wrong level).</summary>
public sealed record UnitListItem(UnitResponse Unit, bool ChainBroken);

/// <summary>What an import would do, or did: counts by action and every line with its problems.</summary>
public sealed record UnitImportResponse(bool Applied, bool CanApply, int Created, int Updated, int Unchanged, int Invalid, IReadOnlyList<UnitImportLine> Lines)
{
    public static UnitImportResponse Of(ImportPlan plan, bool applied) => new(
        applied,
        plan.CanApply,
        plan.Count(ImportAction.Create),
        plan.Count(ImportAction.Update),
        plan.Count(ImportAction.Unchanged),
        plan.Count(ImportAction.Invalid),
        plan.Lines.Select(l => new UnitImportLine(l.Line, l.UnitId, l.Action, l.Errors.Select(e => new FieldProblem(e.Field, e.Code, e.Message)).ToList())).ToList());
}

public sealed record UnitImportLine(int Line, string? UnitId, ImportAction Action, IReadOnlyList<FieldProblem> Errors);
