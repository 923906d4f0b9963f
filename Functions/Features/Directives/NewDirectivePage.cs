using System.Globalization;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Http;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Pages;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// <c>GET/POST /office/directives/new</c> (NewDirective): the office types a directive in, dates as
/// dd/MM/yyyy, or pastes the dispatch's text and presses "Gợi ý" — the tasks and deadlines found in
/// it fill the task rows ("Trước ngày 26/02/2026" → hạn 25/02/2026) for the office to check, change
/// and confirm. Nothing is registered until "Tạo công văn"; an invalid form comes back with every
/// problem next to its field and everything typed kept.
/// </summary>
public static class NewDirectivePage
{
    public const string Title = "Tạo công văn";
    public const int MaxTasks = 20;

    public static RouteGroupBuilder MapNewDirective(this RouteGroupBuilder office)
    {
        office.MapGet("/directives/new", async (HttpContext context, UnitRegistry units, CancellationToken cancellationToken) =>
            Page(context, DirectiveForm.Empty, await units.TreeAsync(cancellationToken), null, null, StatusCodes.Status200OK)).WithName("NewDirective");
        office.MapPost("/directives/new", PostAsync).WithName("NewDirectivePost").DisableAntiforgery();
        return office;
    }

    private static async Task<IResult> PostAsync(HttpContext context, DirectiveRegistry registry, UnitRegistry units, CancellationToken cancellationToken)
    {
        var form = DirectiveForm.Read(await context.Request.ReadFormAsync(cancellationToken));
        var tree = await units.TreeAsync(cancellationToken);
        if (form.Action == "suggest")
        {
            var suggested = DispatchScanner.Suggest(form.Dispatch);
            var withSuggestions = form with
            {
                Tasks = [.. form.Tasks.Where(t => !t.IsEmpty), .. suggested.Take(MaxTasks).Select(s => new TaskRow(s.Title, TaskKinds.Wire(s.Kind), VietnamTime.Format(s.Deadline.LastDay), [], s.Source))],
            };
            var note = suggested.Count == 0
                ? "Không tìm thấy nhiệm vụ có hạn trong nội dung đã dán (cụm như “trước ngày 26/02/2026”, “chậm nhất ngày …”). Xin nhập nhiệm vụ bằng tay."
                : $"Đã gợi ý {suggested.Count.ToString(CultureInfo.InvariantCulture)} nhiệm vụ từ nội dung công văn. Xin kiểm tra tên, hạn và chọn đơn vị thực hiện trước khi tạo.";
            return Page(context, withSuggestions, tree, null, note, StatusCodes.Status200OK);
        }

        var registered = await registry.RegisterAsync(form.ToInput(), cancellationToken);
        return registered.IsSuccess
            ? new SeeOther($"/office/directives/{registered.Value.Directive.Id.Value}?moi=1")
            : Page(context, form, tree, registered.Error, null, StatusCodes.Status400BadRequest);
    }

    private static IResult Page(HttpContext context, DirectiveForm form, UnitTree tree, Error? error, string? note, int status)
    {
        var rows = form.Tasks.Where(t => !t.IsEmpty).ToList();
        rows.AddRange(Enumerable.Repeat(TaskRow.Empty, Math.Max(1, 3 - rows.Count)));
        var options = UnitOptions(tree);
        return OfficeLayout.Page(context, Title, Html.Of($"""
            <section>
            <h1>{Title}</h1>
            {Html.When(note is not null, Html.Of($"<p class=\"notice\" role=\"status\">{note}</p>"))}
            {Html.When(error is not null, Html.Of($"<div class=\"errors\" role=\"alert\"><strong>{error?.Message}</strong><ul>{Html.Join(error?.Fields ?? [], f => Html.Of($"<li>{FieldName(f.Field)}: {f.Message}</li>"))}</ul></div>"))}
            <form method="post" action="/office/directives/new">
            {OfficeForms.Field(context)}
            <label for="dispatch">Dán nội dung công văn (không bắt buộc) để hệ thống gợi ý nhiệm vụ và hạn</label>
            <textarea id="dispatch" name="dispatch" rows="6">{form.Dispatch}</textarea>
            <button type="submit" name="action" value="suggest" class="secondary" formnovalidate>Gợi ý nhiệm vụ từ nội dung</button>
            <label for="number">Số công văn</label>
            <input id="number" name="number" value="{form.Number}" placeholder="ví dụ: 123-CV/ĐU" required>
            <label for="issuedOn">Ngày ban hành (dd/MM/yyyy)</label>
            <input id="issuedOn" name="issuedOn" value="{form.IssuedOn}" placeholder="dd/MM/yyyy" inputmode="numeric" required>
            <label for="issuer">Cơ quan ban hành</label>
            <input id="issuer" name="issuer" value="{form.Issuer}" placeholder="ví dụ: Văn phòng Đảng ủy" required>
            <label for="subject">Trích yếu</label>
            <input id="subject" name="subject" value="{form.Subject}" required>
            {Html.Join(rows.Select((t, i) => (t, i)), x => TaskFields(x.t, x.i, options))}
            <button type="submit" name="action" value="create">Tạo công văn</button>
            </form>
            </section>
            """), status);
    }

    private static Markup TaskFields(TaskRow task, int i, IReadOnlyList<(string Value, string Label)> options) => Html.Of($"""
        <fieldset>
        <legend>Nhiệm vụ {i + 1}</legend>
        {Html.When(task.Source is { Length: > 0 }, Html.Of($"<p class=\"muted\">Gợi ý từ “{task.Source}”: hạn là hết ngày {task.Deadline}.</p>"))}
        <label for="t{i}-title">Nội dung nhiệm vụ</label>
        <textarea id="t{i}-title" name="tasks[{i}].title" rows="2">{task.Title}</textarea>
        <label for="t{i}-kind">Loại</label>
        <select id="t{i}-kind" name="tasks[{i}].kind">
        <option value="confirmation"{Html.Selected(task.Kind != "statistics")}>Xác nhận thực hiện</option>
        <option value="statistics"{Html.Selected(task.Kind == "statistics")}>Gửi báo cáo thống kê theo mẫu</option>
        </select>
        <label for="t{i}-deadline">Hạn hoàn thành — hết ngày (dd/MM/yyyy)</label>
        <input id="t{i}-deadline" name="tasks[{i}].deadline" value="{task.Deadline}" placeholder="dd/MM/yyyy">
        <label for="t{i}-units">Đơn vị thực hiện (giữ Ctrl hoặc chạm để chọn nhiều)</label>
        <select id="t{i}-units" name="tasks[{i}].units" multiple size="6">{Html.Join(options, o => Html.Of($"<option value=\"{o.Value}\"{Html.Selected(task.Units.Contains(o.Value))}>{o.Label}</option>"))}</select>
        <input type="hidden" name="tasks[{i}].source" value="{task.Source}">
        </fieldset>
        """);

    /// <summary>Every unit in tree order, indented by depth; a unit with units under it is offered a second time as "and all under it" (<c>id/*</c>).</summary>
    private static List<(string Value, string Label)> UnitOptions(UnitTree tree)
    {
        var options = new List<(string, string)>();
        var children = tree.All.Where(u => u.ParentId is not null).ToLookup(u => u.ParentId!.Value);
        var tops = tree.All.Where(u => u.ParentId is null || tree.Find(u.ParentId.Value) is null);
        void Add(Unit unit, int depth)
        {
            // Option text collapses ordinary spaces: indent with no-break spaces.
            var indent = new string('\u00A0', depth * 4);
            var below = children[unit.Id].OrderBy(u => u.Name, VietnameseCollation.Instance).ToList();
            if (below.Count > 0)
            {
                options.Add(($"{unit.Id.Value}/*", $"{indent}{unit.Name} và các đơn vị trực thuộc"));
            }

            options.Add((unit.Id.Value, $"{indent}{unit.Name}"));
            foreach (var child in below)
            {
                Add(child, depth + 1);
            }
        }

        foreach (var top in tops.OrderBy(u => u.Name, VietnameseCollation.Instance))
        {
            Add(top, 0);
        }

        return options;
    }

    /// <summary>"tasks[1].deadline" → "Nhiệm vụ 2, hạn".</summary>
    private static string FieldName(string field)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["number"] = "Số công văn",
            ["issuedOn"] = "Ngày ban hành",
            ["issuer"] = "Cơ quan ban hành",
            ["subject"] = "Trích yếu",
            ["tasks"] = "Nhiệm vụ",
            ["title"] = "nội dung",
            ["kind"] = "loại",
            ["deadline"] = "hạn",
            ["units"] = "đơn vị",
        };
        if (field.StartsWith("tasks[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is > 6 and var close
            && int.TryParse(field.AsSpan(6, close - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            var rest = field[(close + 1)..].TrimStart('.');
            var part = rest.Split('[')[0];
            return $"Nhiệm vụ {(index + 1).ToString(CultureInfo.InvariantCulture)}" + (part.Length > 0 ? ", " + names.GetValueOrDefault(part, part) : string.Empty);
        }

        return names.GetValueOrDefault(field, field);
    }
}

/// <summary>One task row of the form, as typed.</summary>
internal sealed record TaskRow(string Title, string Kind, string Deadline, IReadOnlyList<string> Units, string Source)
{
    public static readonly TaskRow Empty = new(string.Empty, "confirmation", string.Empty, [], string.Empty);

    public bool IsEmpty => Title.Length == 0 && Deadline.Length == 0 && Units.Count == 0;
}

/// <summary>The new-directive form as typed (kept when it comes back with errors).</summary>
internal sealed record DirectiveForm(string Action, string Dispatch, string Number, string IssuedOn, string Issuer, string Subject, IReadOnlyList<TaskRow> Tasks)
{
    public static readonly DirectiveForm Empty = new(string.Empty, string.Empty, string.Empty, string.Empty, "Văn phòng Đảng ủy", string.Empty, []);

    public static DirectiveForm Read(IFormCollection form)
    {
        var tasks = new List<TaskRow>();
        for (var i = 0; i < NewDirectivePage.MaxTasks; i++)
        {
            var p = $"tasks[{i.ToString(CultureInfo.InvariantCulture)}].";
            if (!form.ContainsKey(p + "title"))
            {
                continue;
            }

            tasks.Add(new TaskRow(form[p + "title"].ToString().Trim(), form[p + "kind"].ToString(), form[p + "deadline"].ToString().Trim(), form[p + "units"].Where(u => !string.IsNullOrEmpty(u)).Select(u => u!).ToList(), form[p + "source"].ToString()));
        }

        return new DirectiveForm(form["action"].ToString(), form["dispatch"].ToString(), form["number"].ToString(), form["issuedOn"].ToString(), form["issuer"].ToString(), form["subject"].ToString(), tasks);
    }

    /// <summary>What the registry validates; empty task rows are left out, the rest (even half-filled) go in so their problems are shown.</summary>
    public DirectiveInput ToInput() => new(
        Number,
        IssuedOn,
        Issuer,
        Subject,
        Tasks.Where(t => !t.IsEmpty).Select(t => new TaskInput(t.Title, t.Kind, t.Deadline, t.Units)).ToList());
}
