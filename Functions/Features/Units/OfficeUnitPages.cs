using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.Units;

/// <summary>
/// The office's units page (văn phòng): <c>GET /office/don-vi</c> (OfficeUnits: the list, searched
/// without diacritics and filtered by kind, level and state, with the add form) and <c>POST</c>
/// (OfficeUnitsPost: add a unit); <c>GET /office/don-vi/{unitId}</c> (OfficeUnit: the unit's form,
/// its sub-units, stopping and merging, and its history) and <c>POST</c> (OfficeUnitPost: edit or
/// move); <c>POST …/trang-thai</c> (OfficeUnitState: stop or restart) and <c>POST …/sap-nhap</c>
/// (OfficeUnitMerge). Each change goes through <see cref="UnitRegistry"/> (the tree stays
/// consistent, as for the API) and into the unit's history and the audit trail.
/// </summary>
public static class OfficeUnitPages
{
    public const long MaxFormBody = 16 * 1024;
    public const long MaxImportForm = 2 * 1024 * 1024;
    public const int HistoryShown = 100;

    public static IEndpointRouteBuilder MapUnitPages(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/don-vi").RequireOfficeRole(OfficeRole.VanPhong);
        office.MapGet("/", ListAsync).WithName("OfficeUnits").AsPage();
        office.MapPost("/", AddAsync).WithName("OfficeUnitsPost").WithFormBody<UnitForm>(MaxFormBody).AsPage();
        office.MapPost("/nhap", ImportAsync).WithName("OfficeUnitsImport").WithFormBody<UnitImportForm>(MaxImportForm).AsPage();
        office.MapGet("/{unitId}", (string unitId, string? luu, UnitRegistry registry, IUnitHistory history, CancellationToken cancellationToken) =>
            ShowAsync(unitId, null, null, null, Notice(luu), registry, history, cancellationToken)).WithName("OfficeUnit").AsPage();
        office.MapPost("/{unitId}", EditAsync).WithName("OfficeUnitPost").WithFormBody<UnitForm>(MaxFormBody).AsPage();
        office.MapPost("/{unitId}/trang-thai", StateAsync).WithName("OfficeUnitState").WithFormBody<UnitStateForm>(MaxFormBody).AsPage();
        office.MapPost("/{unitId}/sap-nhap", MergeAsync).WithName("OfficeUnitMerge").WithFormBody<UnitMergeForm>(MaxFormBody).AsPage();
        return app;
    }

    private static async Task<RazorComponentResult> ListAsync(string? q, string? loai, string? cap, string? tt, int? nhap, UnitRegistry registry, CancellationToken cancellationToken) =>
        PageResults.Render<UnitListPage, UnitListModel>(UnitListModel.Of(
            await registry.TreeAsync(cancellationToken), UnitQuery.Read(q, loai, cap, tt), UnitForm.Empty, null,
            nhap is >= 0 and var n ? $"Đã nhập danh sách: {n} đơn vị thêm mới hoặc sửa." : null));

    /// <summary>A CSV list checked (what each line would do) and, once confirmed, applied — the same rules as the import API.</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> ImportAsync(
        Body<UnitImportForm> body, ClaimsPrincipal user, UnitRegistry registry, UnitChanges changes, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return PageResults.Render<UnitImportPage, UnitImportModel>(new UnitImportModel(null, string.Empty, refused.AsError()), refused.Status);
        }

        var form = body.Value;
        var plan = await registry.ImportAsync(form.Csv, form.Apply, cancellationToken);
        if (!plan.IsSuccess)
        {
            return PageResults.Render<UnitImportPage, UnitImportModel>(new UnitImportModel(null, string.Empty, plan.Error), StatusCodes.Status400BadRequest);
        }

        if (form.Apply && plan.Value.CanApply)
        {
            await changes.RecordImportAsync(user, plan.Value, cancellationToken);
            return new SeeOther($"/office/don-vi?nhap={plan.Value.Changes.Count()}");
        }

        return PageResults.Render<UnitImportPage, UnitImportModel>(new UnitImportModel(plan.Value, form.Csv, null), plan.Value.CanApply ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> AddAsync(
        Body<UnitForm> body, ClaimsPrincipal user, UnitRegistry registry, UnitChanges changes, CancellationToken cancellationToken)
    {
        var form = body.Refusal is null ? body.Value : UnitForm.Empty;
        var saved = body.Refusal is { } refused ? refused.AsError() : await CreateAsync(form, registry, cancellationToken);
        if (saved.IsSuccess)
        {
            await changes.RecordAsync(user, saved.Value, cancellationToken);
            return new SeeOther($"/office/don-vi/{saved.Value.Current.Id}?luu=tao");
        }

        return PageResults.Render<UnitListPage, UnitListModel>(
            UnitListModel.Of(await registry.TreeAsync(cancellationToken), UnitQuery.Read(null, null, null, null), form, saved.Error, null),
            StatusOf(body, saved.Error!));
    }

    private static async Task<Result<UnitSaved>> CreateAsync(UnitForm form, UnitRegistry registry, CancellationToken cancellationToken)
    {
        var id = UnitId.Parse(form.Id?.Trim(), "id");
        if (!id.IsSuccess)
        {
            // Every field's problem at once: the id's with the others'.
            var validation = new Validation();
            validation.Take(id, "id");
            validation.Take(form.ToUnit(UnitId.Parse("x").Value), "name");
            return validation.ToError();
        }

        var unit = form.ToUnit(id.Value);
        return unit.IsSuccess ? await registry.CreateAsync(unit.Value, cancellationToken) : unit.Error!;
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> EditAsync(
        string unitId, Body<UnitForm> body, ClaimsPrincipal user, UnitRegistry registry, IUnitHistory history, UnitChanges changes, CancellationToken cancellationToken)
    {
        var id = UnitId.Parse(unitId);
        var form = body.Refusal is null ? body.Value : null;
        Result<UnitSaved> saved = body.Refusal is { } refused ? refused.AsError()
            : !id.IsSuccess ? id.Error!
            : form!.ToUnit(id.Value) is { IsSuccess: true } unit ? await Rewrite(registry, unit.Value, cancellationToken)
            : form.ToUnit(id.Value).Error!;
        return await AfterAsync(unitId, saved, UnitPageModel.EditSection, form, user, registry, history, changes, cancellationToken);
    }

    /// <summary>An edit never creates: a unit that is not there (deleted by a stale page) is "not found".</summary>
    private static async Task<Result<UnitSaved>> Rewrite(UnitRegistry registry, Unit unit, CancellationToken cancellationToken) =>
        await registry.FindAsync(unit.Id, cancellationToken) is null
            ? Error.NotFound("unit-not-found", "Không có đơn vị này.")
            : await registry.PutAsync(unit, cancellationToken);

    private static async Task<Results<SeeOther, RazorComponentResult>> StateAsync(
        string unitId, Body<UnitStateForm> body, ClaimsPrincipal user, UnitRegistry registry, IUnitHistory history, UnitChanges changes, CancellationToken cancellationToken)
    {
        var id = UnitId.Parse(unitId);
        Result<UnitSaved> saved = body.Refusal is { } refused ? refused.AsError()
            : !id.IsSuccess ? id.Error!
            : body.Value.Action switch
            {
                UnitStateForm.Stop => await registry.DeactivateAsync(id.Value, cancellationToken),
                UnitStateForm.Restart => await registry.ReactivateAsync(id.Value, cancellationToken),
                _ => Error.Validation("state", "invalid-action", "Hãy chọn ngừng hoạt động hoặc hoạt động lại."),
            };
        return await AfterAsync(unitId, saved, UnitPageModel.StateSection, null, user, registry, history, changes, cancellationToken);
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> MergeAsync(
        string unitId, Body<UnitMergeForm> body, ClaimsPrincipal user, UnitRegistry registry, IUnitHistory history, UnitChanges changes, CancellationToken cancellationToken)
    {
        var id = UnitId.Parse(unitId);
        var into = UnitId.Parse(body.Refusal is null ? body.Value.Into : null, "into");
        Result<UnitSaved> saved = body.Refusal is { } refused ? refused.AsError()
            : !id.IsSuccess ? id.Error!
            : !into.IsSuccess ? Error.Validation("into", "required", "Hãy chọn đơn vị nhận sáp nhập.")
            : await registry.MergeAsync(id.Value, into.Value, cancellationToken);
        return await AfterAsync(unitId, saved, UnitPageModel.MergeSection, null, user, registry, history, changes, cancellationToken);
    }

    /// <summary>A saved change goes to the history and the trail and back to the unit's page with a notice; a refused one shows the page with the problem where its form is.</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> AfterAsync(
        string unitId, Result<UnitSaved> saved, string section, UnitForm? form, ClaimsPrincipal user, UnitRegistry registry, IUnitHistory history, UnitChanges changes, CancellationToken cancellationToken)
    {
        if (saved.IsSuccess)
        {
            await changes.RecordAsync(user, saved.Value, cancellationToken);
            return new SeeOther($"/office/don-vi/{saved.Value.Current.Id}?luu={section}");
        }

        return await ShowAsync(unitId, form, saved.Error, section, null, registry, history, cancellationToken);
    }

    private static async Task<RazorComponentResult> ShowAsync(
        string unitId, UnitForm? form, Error? error, string? section, string? notice, UnitRegistry registry, IUnitHistory history, CancellationToken cancellationToken)
    {
        var id = UnitId.Parse(unitId);
        var tree = id.IsSuccess ? await registry.TreeAsync(cancellationToken) : null;
        if (tree?.Find(id.Value) is not { } unit)
        {
            return PageResults.Render<MessagePage, Message>(
                Message.OfficeNotFound("Không có đơn vị này", "Đơn vị không có trong danh sách.") with { Back = new Link("/office/don-vi", "Về danh sách đơn vị") },
                StatusCodes.Status404NotFound);
        }

        var entries = await history.ListAsync(unit.Id, HistoryShown, cancellationToken);
        return PageResults.Render<UnitPage, UnitPageModel>(
            new UnitPageModel(unit, tree, entries, form ?? UnitForm.Of(unit), error, section, notice),
            error is null ? StatusCodes.Status200OK : error.Kind == ErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
    }

    private static int StatusOf<T>(Body<T> body, Error error)
        where T : class, IRequestBody<T> =>
        body.Refusal?.Status ?? (error.Kind == ErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);

    private static string? Notice(string? saved) => saved switch
    {
        "tao" => "Đã thêm đơn vị.",
        UnitPageModel.EditSection => "Đã lưu thay đổi.",
        UnitPageModel.StateSection => "Đã cập nhật tình trạng hoạt động.",
        UnitPageModel.MergeSection => "Đã sáp nhập. Nhiệm vụ giao cho đơn vị này từ nay chuyển cho đơn vị nhận sáp nhập; lịch sử và nhiệm vụ cũ vẫn giữ.",
        _ => null,
    };
}
