using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// "Sửa công văn": <c>GET/POST /office/directives/{id}/sua</c> (OfficeEditDirective), the office's
/// page for what <c>PATCH /api/directives/{id}</c> does — correct the number, date, issuer or
/// subject; per task add or remove units, extend the deadline, cancel; add a task; with the reason.
/// The form carries the revision it was made from: when someone else saved an edit meanwhile, the
/// page comes back (409) with "Công văn vừa được người khác sửa…", the directive as it is now, and
/// everything typed kept, to check and save again. A closed directive is not edited: both answer 409
/// saying so, with the way to open it again. Văn phòng only.
/// </summary>
public static class EditDirectivePages
{
    public static IEndpointRouteBuilder MapEditDirectivePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/office/directives/{id}/sua", ShowAsync).WithName("OfficeEditDirective").RequireOfficeRole(OfficeRole.VanPhong).AsPage();
        app.MapPost("/office/directives/{id}/sua", SaveAsync).WithName("OfficeEditDirectivePost").RequireOfficeRole(OfficeRole.VanPhong).WithFormBody<EditDirectiveForm>(DirectivesFeature.MaxDirectiveBody).AsPage();
        return app;
    }

    private static async Task<RazorComponentResult> ShowAsync(string id, DirectiveEditor editor, UnitRegistry units, CancellationToken cancellationToken)
    {
        if (await CurrentAsync(id, editor, cancellationToken) is not { } current)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy công văn"), StatusCodes.Status404NotFound);
        }

        if (await editor.ClosureAsync(current.Id, cancellationToken) is { } closure)
        {
            return Closed(current, closure);
        }

        return PageResults.Render<EditDirectivePage, EditDirectiveModel>(new EditDirectiveModel(current, EditDirectiveForm.Of(current), await units.TreeAsync(cancellationToken), null, null));
    }

    /// <summary>The page for a closed directive: 409, why, and the way back to its board (where it is opened again).</summary>
    private static RazorComponentResult Closed(Directive directive, DirectiveClosure closure) =>
        PageResults.Render<MessagePage, Message>(
            new Message("Công văn đã kết thúc", DirectiveEditor.ClosedRefusal(closure).Message, new Link($"/office/directives/{directive.Id.Value}", "Về bảng theo dõi của công văn"), Office: true),
            StatusCodes.Status409Conflict);

    private static async Task<Results<SeeOther, RazorComponentResult>> SaveAsync(
        string id, Body<EditDirectiveForm> body, ClaimsPrincipal user, DirectiveEditor editor, UnitRegistry units, OfficeAudit audit, CancellationToken cancellationToken)
    {
        if (await CurrentAsync(id, editor, cancellationToken) is not { } current)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy công văn"), StatusCodes.Status404NotFound);
        }

        var tree = await units.TreeAsync(cancellationToken);
        if (body.Refusal is { } refused)
        {
            return PageResults.Render<EditDirectivePage, EditDirectiveModel>(new EditDirectiveModel(current, EditDirectiveForm.Of(current), tree, refused.AsError(), null), refused.Status);
        }

        var form = body.Value;
        var saved = await editor.EditAsync(current.Id, form.Revision, form.ToInput(), user.ActorOf().Name, cancellationToken);
        if (saved.IsSuccess)
        {
            await audit.RecordDirectiveEditAsync(user, saved.Value.Edited, cancellationToken);
            return new SeeOther($"/office/directives/{current.Id.Value}?sua=1");
        }

        if (saved.Error!.Code == DirectiveEditor.ClosedCode && await editor.ClosureAsync(current.Id, cancellationToken) is { } closure)
        {
            return Closed(current, closure);
        }

        if (saved.Error!.Code == DirectiveEditor.StaleCode)
        {
            // Someone saved first: the current version to compare, what was typed kept, to be saved on top of it.
            var now = await CurrentAsync(id, editor, cancellationToken) ?? current;
            return PageResults.Render<EditDirectivePage, EditDirectiveModel>(
                new EditDirectiveModel(now, form with { Revision = now.Revision }, tree, null, EditDirectiveModel.StaleNote) { Stale = true }, StatusCodes.Status409Conflict);
        }

        return PageResults.Render<EditDirectivePage, EditDirectiveModel>(new EditDirectiveModel(current, form, tree, saved.Error, null), StatusCodes.Status400BadRequest);
    }

    private static async Task<Directive?> CurrentAsync(string id, DirectiveEditor editor, CancellationToken cancellationToken) =>
        DirectiveId.Parse(id) is { IsSuccess: true } parsed && await editor.CurrentAsync(parsed.Value, cancellationToken) is { } read ? read.Value : null;
}

/// <summary>One task's part of the edit form: units to add (and their role), units to take off, a new deadline, cancel.</summary>
public sealed record TaskEditRow(string Id, string Deadline, IReadOnlyList<string> Add, string AddRole, IReadOnlyList<string> Remove, bool Cancel);

/// <summary>
/// The edit form as typed: the revision it was made from, the directive's fields, one row per task,
/// a new task (as on the new-directive form, with its "Đơn vị chủ trì"), and the reason.
/// </summary>
public sealed record EditDirectiveForm(int Revision, string Number, string IssuedOn, string Issuer, string Subject, string Reason, IReadOnlyList<TaskEditRow> Tasks, TaskRow NewTask)
    : IRequestBody<EditDirectiveForm>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    /// <summary>The form as the page first shows it: the directive's fields as they are, nothing changed.</summary>
    public static EditDirectiveForm Of(Directive d) => new(
        d.Revision, d.Number, VietnamTime.Format(d.IssuedOn), d.Issuer, d.Subject, string.Empty,
        d.Tasks.Select(t => new TaskEditRow(t.Id.Value, string.Empty, [], string.Empty, [], false)).ToList(), TaskRow.Empty);

    public static EditDirectiveForm FromForm(IFormCollection form)
    {
        var rows = new List<TaskEditRow>();
        for (var i = 0; i < DirectiveRegistration.MaxTasks; i++)
        {
            var p = $"tasks[{i.ToString(CultureInfo.InvariantCulture)}].";
            if (form[p + "id"].ToString() is { Length: > 0 } task)
            {
                rows.Add(new TaskEditRow(task, form[p + "deadline"].ToString().Trim(), Values(form[p + "add"]), form[p + "addRole"].ToString(), Values(form[p + "remove"]), form[p + "cancel"] == "1"));
            }
        }

        var newTask = new TaskRow(
            form["newTask.title"].ToString().Trim(), form["newTask.kind"].ToString(), form["newTask.deadline"].ToString().Trim(), Values(form["newTask.units"]), string.Empty, [], false, form["newTask.quiet"] == "1")
        {
            Lead = form["newTask.lead"].ToString(),
        };
        return new EditDirectiveForm(
            int.TryParse(form["revision"], NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : -1,
            form["number"].ToString(), form["issuedOn"].ToString(), form["issuer"].ToString(), form["subject"].ToString(), form["reason"].ToString(), rows, newTask);
    }

    public DirectiveEditInput ToInput()
    {
        var (units, roles) = NewTask.UnitsWithRoles();
        return new(
            Number,
            IssuedOn,
            Issuer,
            Subject,
            Reason,
            Tasks.Select(t => new TaskEditInput(t.Id, t.Add, t.Add.Select(_ => (string?)t.AddRole).ToList(), t.Remove, t.Deadline, t.Cancel)).ToList(),
            NewTask.IsEmpty ? [] : [new TaskInput(NewTask.Title, NewTask.Kind, NewTask.Deadline, units, Remind: !NewTask.Quiet) { Roles = roles }]);
    }

    /// <summary>The row typed for task <paramref name="id"/> (an empty one if the form had none).</summary>
    public TaskEditRow RowFor(TaskId id) => Tasks.FirstOrDefault(t => t.Id == id.Value) ?? new TaskEditRow(id.Value, string.Empty, [], string.Empty, [], false);

    private static List<string> Values(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
}

/// <summary>The edit page: the directive as it is now, the form as typed, the units to choose from, the problems, and a note (the conflict's).</summary>
public sealed record EditDirectiveModel(Directive Current, EditDirectiveForm Form, UnitTree Tree, Error? Error, string? Note)
{
    public const string StaleNote = "Công văn vừa được người khác sửa trong lúc đồng chí đang sửa, nên các thay đổi của đồng chí chưa được lưu. Nội dung hiện tại của công văn ở ngay dưới đây; những gì đồng chí đã nhập vẫn được giữ trong mẫu — xin xem lại rồi bấm “Lưu thay đổi” lần nữa.";

    /// <summary>The page comes back because another edit was saved first.</summary>
    public bool Stale { get; init; }

    /// <summary>Working units that can be added to <paramref name="task"/> (not on it yet), in tree order as the new-directive form lists them.</summary>
    public IReadOnlyList<(string Value, string Label)> AddableTo(DirectiveTask task) =>
        Options.Where(o => o.Value.EndsWith(DirectiveRegistration.DescendantsSuffix, StringComparison.Ordinal) || !task.Units.Contains(UnitId.Parse(o.Value).Value)).ToList();

    /// <summary>Every working unit, as the new-directive form offers them (a unit with units under it also as "and all under it").</summary>
    public IReadOnlyList<(string Value, string Label)> Options => new NewDirectiveModel(DirectiveForm.Empty, Tree, null, null, Domain.Calendar.WorkingCalendar.Default).UnitOptions;

    public IReadOnlyList<(string Value, string Label)> LeadOptions => new NewDirectiveModel(DirectiveForm.Empty, Tree, null, null, Domain.Calendar.WorkingCalendar.Default).LeadOptions;

    public string NameOf(UnitId unit) => Tree.Find(unit)?.Name ?? unit.Value;

    /// <summary>"tasks[1].deadline" → "Nhiệm vụ 2, hạn"; "newTasks[0].title" → "Nhiệm vụ mới, nội dung"; "reason" → "Lý do".</summary>
    public string FieldName(string field)
    {
        if (field == "reason")
        {
            return "Lý do thay đổi";
        }

        if (field.StartsWith("newTasks", StringComparison.Ordinal))
        {
            var named = NewDirectiveModel.FieldName("tasks" + field["newTasks".Length..]);
            return "Nhiệm vụ mới" + (named.StartsWith("Nhiệm vụ 1", StringComparison.Ordinal) ? named["Nhiệm vụ 1".Length..] : string.Empty);
        }

        if (field.StartsWith("tasks[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is > 6 and var close
            && int.TryParse(field.AsSpan(6, close - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < Form.Tasks.Count)
        {
            // The form's rows are the directive's tasks: name the task by its number, not the row's.
            var part = field[(close + 1)..].TrimStart('.').Split('[')[0];
            var what = part switch
            {
                "deadline" => "hạn mới",
                "addUnits" => "đơn vị thêm",
                "removeUnits" => "đơn vị bỏ",
                "id" => string.Empty,
                _ => part,
            };
            return $"Nhiệm vụ {Form.Tasks[index].Id[1..]}" + (what.Length > 0 ? ", " + what : string.Empty);
        }

        return NewDirectiveModel.FieldName(field);
    }
}
