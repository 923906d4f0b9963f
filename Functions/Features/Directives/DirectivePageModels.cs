using System.Globalization;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>The office's list of directives, newest first, each with its overall progress; <see cref="CanCreate"/> for those who may register one (văn phòng).</summary>
public sealed record DirectiveListModel(IReadOnlyList<DirectiveListRow> Rows, bool CanCreate)
{
    /// <summary>Which directives it shows (<c>xem</c>): those followed (default), those closed, or all.</summary>
    public DirectiveListFilter Filter { get; init; } = DirectiveListFilter.Open;

    /// <summary>What was searched for (number, subject or issuer; without diacritics too), as typed.</summary>
    public string? Search { get; init; }

    /// <summary>How many closed directives there are (the link to them says so).</summary>
    public int ClosedCount { get; init; }

    public static readonly IReadOnlyList<(string Key, DirectiveListFilter Filter, string Name)> Filters =
    [
        ("dang-theo-doi", DirectiveListFilter.Open, "Đang theo dõi"),
        ("da-ket-thuc", DirectiveListFilter.Closed, "Đã kết thúc"),
        ("tat-ca", DirectiveListFilter.All, "Tất cả"),
    ];

    public static DirectiveListFilter ReadFilter(string? xem) => Filters.FirstOrDefault(f => f.Key == xem) is { Key: not null } found ? found.Filter : DirectiveListFilter.Open;

    /// <summary>Whether <paramref name="d"/> matches <paramref name="search"/> (folded: "643 dich vu cong" finds "643-CV/ĐU … dịch vụ công").</summary>
    public static bool Matches(Directive d, string? search) =>
        search is null || Text.Fold(search).Split(' ', StringSplitOptions.RemoveEmptyEntries).All(Text.Fold($"{d.Number} {d.Subject} {d.Issuer}").Contains);

    public string Heading => Filter switch
    {
        DirectiveListFilter.Closed => "Công văn đã kết thúc",
        DirectiveListFilter.All => "Tất cả công văn",
        _ => "Công văn đang theo dõi",
    };
}

/// <summary>Which directives the office's list shows.</summary>
public enum DirectiveListFilter
{
    Open,
    Closed,
    All,
}

public sealed record DirectiveListRow(Directive Directive, ProgressRates Rates)
{
    /// <summary>When the office closed it; none while it is followed.</summary>
    public DirectiveClosure? Closure { get; init; }
}

/// <summary>A unit's link as the board lists it for the office to hand out.</summary>
public sealed record UnitLinkLine(string Name, string Url)
{
    /// <summary>The unit's id, for its page (send the link again, or issue a new one).</summary>
    public string? UnitId { get; init; }
}

/// <summary>
/// A directive's board: the rows the query asks for (<see cref="Shown"/>: those of page <see cref="Page"/>),
/// the rates, and the links of the units shown; <see cref="Created"/> right after it was registered;
/// days overdue counted as <see cref="Days"/> says.
/// </summary>
public sealed record BoardModel(DirectiveBoard Board, BoardQuery Query, IReadOnlyList<BoardRow> Shown, int Page, IReadOnlyList<UnitLinkLine> Links, bool Created, DayCount Days)
{
    /// <summary>Whether units are emailed their links (<c>Escalation__TellUnits</c>): the notice after creating says who sends them.</summary>
    public bool TellsUnits { get; init; } = true;

    /// <summary>Rows per page: a province's board has thousands of units.</summary>
    public const int PageSize = 100;

    public int Pages => Math.Max(1, (Board.Rows.Count + PageSize - 1) / PageSize);

    /// <summary>The page asked for (trang, from 1), kept within the pages there are.</summary>
    public static int PageOf(string? trang, int rows) =>
        int.TryParse(trang, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1
            ? Math.Min(page, Math.Max(1, (rows + PageSize - 1) / PageSize))
            : 1;

    /// <summary>The board's query string as it is now (filters and order), with <paramref name="page"/> when it is not the first.</summary>
    public string QueryString(int page = 1)
    {
        var parts = new List<string>();
        if (Query.Search is { } q)
        {
            parts.Add("q=" + Uri.EscapeDataString(q));
        }

        if (Query.Level is { } level)
        {
            parts.Add("cap=" + ((int)level).ToString(CultureInfo.InvariantCulture));
        }

        if (StateFilters.FirstOrDefault(f => f.State == Query.State && Query.State is not null).Key is { } state)
        {
            parts.Add("tt=" + state);
        }

        if (Query.Sort != BoardSort.Name)
        {
            parts.Add("sx=" + Sorts.First(s => s.Sort == Query.Sort).Key);
        }

        if (page > 1)
        {
            parts.Add("trang=" + page.ToString(CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    /// <summary>When the office closed the directive; none while it is followed.</summary>
    public DirectiveClosure? Closure { get; init; }

    /// <summary>What was just done to the directive, from the query string (<c>da</c>): closed, or opened again.</summary>
    public string? Done { get; init; }

    /// <summary>Whether the person may edit the directive (văn phòng): the board then links to "Sửa công văn".</summary>
    public bool CanEdit { get; init; }

    /// <summary>Right after an edit was saved.</summary>
    public bool Edited { get; init; }

    /// <summary>The directive's changes since registration, newest first.</summary>
    public IReadOnlyList<DirectiveChange> Changes { get; init; } = [];

    /// <summary>The states the board filters by, with their query value (tt) and label.</summary>
    public static readonly IReadOnlyList<(string Key, AssignmentState State, string Name)> StateFilters =
    [
        ("qua-han", AssignmentState.Overdue, "Có nhiệm vụ quá hạn"),
        ("muon", AssignmentState.SubmittedLate, "Có nhiệm vụ hoàn thành muộn"),
        ("dung-han", AssignmentState.SubmittedOnTime, "Có nhiệm vụ hoàn thành đúng hạn"),
        ("chua-den-han", AssignmentState.Pending, "Có nhiệm vụ chưa đến hạn"),
    ];

    /// <summary>The orders of the board, with their query value (sx) and label.</summary>
    public static readonly IReadOnlyList<(string Key, BoardSort Sort, string Name)> Sorts =
    [
        ("ten", BoardSort.Name, "Theo tên đơn vị (A–Z)"),
        ("cap", BoardSort.Level, "Theo cấp, rồi tên"),
        ("tre", BoardSort.Lateness, "Chậm nhất lên đầu"),
    ];

    /// <summary>The <c>cap</c> value of the group of bodies without a level.</summary>
    public const string OthersKey = "khac";

    /// <summary>The board's query string: q (name), cap (level 1–4, or <see cref="OthersKey"/>), tt (state), sx (order). Unknown values are ignored, not errors.</summary>
    public static BoardQuery ReadQuery(string? q, string? cap, string? tt, string? sx)
    {
        var search = (q ?? string.Empty).Trim();
        UnitLevel? level = UnitLevels.Parse(cap) is { IsSuccess: true } l ? l.Value : null;
        var state = StateFilters.FirstOrDefault(s => s.Key == tt);
        var sort = Sorts.FirstOrDefault(s => s.Key == sx);
        return new BoardQuery(search.Length is > 0 and <= 100 ? search : null, level, state.Key is null ? null : state.State, sort.Key is null ? BoardSort.Name : sort.Sort, cap == OthersKey);
    }

    /// <summary>A task's title cut to a column head's length at a word boundary (the full title is in the list above and the tooltip).</summary>
    public static string Shorten(string title) =>
        title.Length <= 60 ? title : title[..(title.LastIndexOf(' ', 60) is > 20 and var cut ? cut : 60)] + "…";

    /// <summary>A cell's state in words and its style: on time, late N (working) days, overdue N (working) days, not yet due.</summary>
    public (string Css, string Text) Describe(BoardCell cell) => Shared.Pages.StandingText.Cell(cell.Standing, Days.UnitName, cell.Task);
}

/// <summary>
/// One task row of the new-directive form, as typed. A row suggested from the dispatch also carries
/// (in hidden fields) the phrase its deadline was read from, the units or groups the dispatch gives
/// it to as written (<see cref="Named"/>), and that it was suggested; <see cref="Quiet"/> is the "Không nhắc" box; for a statistics task also its template, rules and coverage.
/// </summary>
public sealed record TaskRow(string Title, string Kind, string Deadline, IReadOnlyList<string> Units, string Source, IReadOnlyList<string> Named, bool Suggested, bool Quiet = false)
{
    public static readonly TaskRow Empty = new(string.Empty, WireFormat.Name(TaskKind.Confirmation), string.Empty, [], string.Empty, [], false);

    public bool IsEmpty => Title.Length == 0 && Deadline.Length == 0 && Units.Count == 0 && Lead.Length == 0;

    /// <summary>The template chosen: <c>643</c> or the id of a file read before.</summary>
    public string Template { get; init; } = TemplateId.Official643Value;

    /// <summary>A template file attached in this post, not yet read.</summary>
    public byte[]? TemplateFile { get; init; }

    /// <summary>"Row … not above row …" pairs as chosen (1-based row numbers as text); null: the template's suggestion.</summary>
    public IReadOnlyList<(string Row, string Max)>? Bounds { get; init; }

    /// <summary>Whether totals are checked as sums; null: the template's suggestion.</summary>
    public bool? Totals { get; init; }

    public string Blanks { get; init; } = string.Empty;

    public string Coverage { get; init; } = string.Empty;

    /// <summary>The unit chosen as "Đơn vị chủ trì" (its id; empty: none stated): the others selected take part (phối hợp).</summary>
    public string Lead { get; init; } = string.Empty;

    /// <summary>The units as the registry reads them, the lead first (added if it was not selected), and each one's role: chủ trì for the lead, phối hợp for the rest; none when no lead was chosen.</summary>
    public (IReadOnlyList<string> Units, IReadOnlyList<string?>? Roles) UnitsWithRoles()
    {
        if (Lead.Length == 0)
        {
            return (Units, null);
        }

        var units = new List<string> { Lead };
        units.AddRange(Units.Where(u => u != Lead));
        return (units, units.Select(u => (string?)(u == Lead ? "chu-tri" : "phoi-hop")).ToList());
    }

    public StatisticsInput ToStatistics() => new(
        Template,
        Bounds?.Select(b => (int.TryParse(b.Row, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0, int.TryParse(b.Max, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0)).ToList(),
        Totals,
        Blanks,
        Coverage);
}

/// <summary>What pressing "Gợi ý" did: tasks added (and how many of them the dispatch gives no deadline), fields filled, and what the dispatch leaves blank.</summary>
public sealed record SuggestionOutcome(int Added, int WithoutDeadline, IReadOnlyList<string> Filled, bool NumberLeftBlank, bool DayLeftBlank, bool Found);

/// <summary>
/// The new-directive form as typed (kept when it comes back with errors): the pasted dispatch, the
/// directive's fields, its task rows (<c>tasks[i].title</c> …), and whether the office has seen the
/// notices of tasks whose deadline has already passed (<see cref="LateSeen"/>: the form was shown
/// again with them, and "Tạo công văn" pressed a second time).
/// </summary>
public sealed record DirectiveForm(string Action, string Dispatch, string Number, string IssuedOn, string Issuer, string Subject, IReadOnlyList<TaskRow> Tasks, bool LateSeen = false)
    : IRequestBody<DirectiveForm>
{
    public const int MaxTasks = DirectiveRegistration.MaxTasks;
    public const string SuggestAction = "suggest";
    public const string CheckAction = "check";

    /// <summary>"Thêm nhiệm vụ": the form again with one more empty task row, everything typed kept.</summary>
    public const string AddTaskAction = "add-task";

    /// <summary>How many empty task rows the form showed (posted back, so "Thêm nhiệm vụ" can show one more).</summary>
    public int BlankRows { get; init; }

    /// <summary>"Đọc mẫu": read the attached template files and show what was understood, create nothing.</summary>
    public const string ReadTemplateAction = "read-template";

    /// <summary>The office has seen the warnings the form showed (units counted within others) and creates all the same.</summary>
    public bool Acknowledged { get; init; }

    /// <summary>
    /// The form's own token, made when the form is first shown and kept through every re-showing: the
    /// registration's idempotency key, so a double press or a resubmitted post creates one directive.
    /// </summary>
    public string IdempotencyKey { get; init; } = string.Empty;

    /// <summary>The number (as <see cref="DirectiveNumbers.Normalize"/> folds it) whose "already used" warning the office has seen and confirmed.</summary>
    public string SameNumberSeen { get; init; } = string.Empty;

    /// <summary>A fresh token for a form shown anew.</summary>
    public static string NewIdempotencyKey() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>This form with a token (its own, or a fresh one if it came without).</summary>
    public DirectiveForm WithIdempotencyKey() => IdempotencyKey.Length > 0 ? this : this with { IdempotencyKey = NewIdempotencyKey() };

    /// <summary>The issuer the empty form offers; "Gợi ý" replaces it with the dispatch's own, as it does an empty field.</summary>
    public const string DefaultIssuer = "Văn phòng Đảng ủy";

    public static readonly DirectiveForm Empty = new(string.Empty, string.Empty, string.Empty, string.Empty, DefaultIssuer, string.Empty, []);

    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static DirectiveForm FromForm(IFormCollection form)
    {
        var tasks = new List<TaskRow>();
        for (var i = 0; i < MaxTasks; i++)
        {
            var p = $"tasks[{i.ToString(CultureInfo.InvariantCulture)}].";
            if (form.ContainsKey(p + "title") && form[p + "drop"].ToString() != "1")
            {
                var bounds = new List<(string, string)>();
                for (var k = 0; k < TemplateRules.MaxBounds; k++)
                {
                    var b = $"{p}bounds[{k.ToString(CultureInfo.InvariantCulture)}].";
                    if (form[b + "row"].ToString() is { Length: > 0 } row && form[b + "max"].ToString() is { Length: > 0 } max)
                    {
                        bounds.Add((row, max));
                    }
                }

                var file = form.Files.GetFile(p + "templateFile");
                byte[]? bytes = null;
                if (file is { Length: > 0 and <= UploadRefusals.MaxBytes })
                {
                    using var stream = file.OpenReadStream();
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    bytes = copy.ToArray();
                }

                tasks.Add(new TaskRow(
                    form[p + "title"].ToString().Trim(),
                    form[p + "kind"].ToString(),
                    form[p + "deadline"].ToString().Trim(),
                    Values(form[p + "units"]),
                    form[p + "source"].ToString(),
                    Values(form[p + "named"]),
                    form[p + "suggested"].ToString() == "1",
                    form[p + "quiet"] == "1")
                {
                    Template = form[p + "template"].ToString() is { Length: > 0 } template ? template : TemplateId.Official643Value,
                    TemplateFile = bytes,
                    Bounds = form.ContainsKey(p + "rulesShown") ? bounds : null,
                    Totals = form.ContainsKey(p + "rulesShown") ? form[p + "totals"] == "1" : null,
                    Blanks = form[p + "blanks"].ToString(),
                    Coverage = form[p + "coverage"].ToString(),
                    Lead = form[p + "lead"].ToString(),
                });
            }
        }

        return new DirectiveForm(form["action"].ToString(), form["dispatch"].ToString(), form["number"].ToString(), form["issuedOn"].ToString(), form["issuer"].ToString(), form["subject"].ToString(), tasks, form["lateSeen"] == "1")
        {
            Acknowledged = form["acknowledged"] == "1",
            IdempotencyKey = form["idempotencyKey"].ToString(),
            SameNumberSeen = form["sameNumberSeen"].ToString(),
            // The empty rows shown count only for "Thêm nhiệm vụ" (one more of them); any other button shows the usual number.
            BlankRows = form["action"] == AddTaskAction && int.TryParse(form["blankRows"], NumberStyles.None, CultureInfo.InvariantCulture, out var blank) ? Math.Min(blank, MaxTasks) : 0,
        };
    }

    /// <summary>
    /// The form with what the dispatch says: số, ngày, cơ quan ban hành and trích yếu where the clerk
    /// has typed nothing (the issuer also over the form's own default); its tasks after the rows typed
    /// so far — a task already on the form is not added again, so pressing "Gợi ý" twice adds nothing —
    /// deadlines written dd/MM/yyyy or as a term in working days (empty where the dispatch gives none),
    /// each with the units its groups match ticked (<see cref="RecipientGroups"/>) for the clerk to check.
    /// </summary>
    public (DirectiveForm Form, SuggestionOutcome Outcome) WithReading(DispatchReading reading, UnitTree tree)
    {
        var filled = new List<string>();
        string Fill(string typed, string? found, string field, bool replaceable = false)
        {
            if (found is null || (typed.Trim().Length > 0 && !replaceable))
            {
                return typed;
            }

            filled.Add(field);
            return found;
        }

        var number = Fill(Number, reading.Number, "số");
        var issuedOn = Fill(IssuedOn, reading.IssuedOn is { } day ? VietnamTime.Format(day) : null, "ngày ban hành");
        var issuer = Fill(Issuer, reading.Issuer, "cơ quan ban hành", replaceable: Issuer.Trim() == DefaultIssuer);
        var subject = Fill(Subject, reading.Subject, "trích yếu");
        var typed = Tasks.Where(t => !t.IsEmpty).ToList();
        var known = typed.Select(t => Text.Fold(t.Title)).ToHashSet(StringComparer.Ordinal);
        var added = reading.Tasks
            .Where(t => known.Add(Text.Fold(t.Title)))
            .Take(Math.Max(0, MaxTasks - typed.Count))
            .Select(t => new TaskRow(
                t.Title,
                WireFormat.Name(t.Kind),
                t.Term?.Display ?? (t.Deadline is { } deadline ? VietnamTime.Format(deadline.LastDay) : string.Empty),
                RecipientGroups.Match(t.Recipients, tree, issuer).SelectMany(m => m.Units).Select(u => u.Value).Distinct().ToList(),
                t.Source ?? string.Empty,
                t.Recipients,
                Suggested: true))
            .ToList();
        var outcome = new SuggestionOutcome(added.Count, added.Count(t => t.Deadline.Length == 0), filled, reading.Number is null && Number.Trim().Length == 0, reading.IssuedOn is null && IssuedOn.Trim().Length == 0, reading.FoundAnything);
        return (this with { Number = number, IssuedOn = issuedOn, Issuer = issuer, Subject = subject, Tasks = [.. typed, .. added] }, outcome);
    }

    /// <summary>The day the office typed as the dispatch's date, if it reads as one.</summary>
    public DateOnly? IssuedDate =>
        VietnamTime.TryParseIsoOrWritten(IssuedOn, out var date) ? date : null;

    /// <summary>What the registry validates; empty task rows are left out, the rest (even half-filled) go in so their problems are shown.</summary>
    public DirectiveInput ToInput() => new(
        Number,
        IssuedOn,
        Issuer,
        Subject,
        Tasks.Where(t => !t.IsEmpty).Select(t =>
        {
            var (units, roles) = t.UnitsWithRoles();
            return new TaskInput(t.Title, t.Kind, t.Deadline, units, Remind: !t.Quiet) { Statistics = t.Kind == WireFormat.Name(TaskKind.Statistics) ? t.ToStatistics() : null, Roles = roles };
        }).ToList());

    private static List<string> Values(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
}

/// <summary>
/// The new-directive form: what was typed, the unit tree to choose from, the problems, a note (how
/// many tasks were suggested, or that some are already late), per task row whose deadline has
/// already passed, what will be sent and when (<see cref="LateNotices"/>, by row index), and the
/// calendar the deadlines are counted with, so each task row can show the last day its deadline
/// gives and how a term in working days was counted.
/// </summary>
public sealed record NewDirectiveModel(DirectiveForm Form, UnitTree Tree, Error? Error, string? Note, WorkingCalendar Calendar, IReadOnlyDictionary<int, string>? LateNotices = null)
{
    /// <summary>The notice of row <paramref name="index"/>, when its deadline has already passed.</summary>
    public string? LateNotice(int index) => LateNotices?.GetValueOrDefault(index);

    /// <summary>
    /// The notices of the typed rows whose deadline has already passed at <paramref name="now"/>, by
    /// row index: how late, and what the ladder will send and when (<paramref name="forecast"/>), or nothing with "Không nhắc".
    /// </summary>
    public static IReadOnlyDictionary<int, string> LateNoticesFor(DirectiveForm form, DateTimeOffset now, WorkingCalendar calendar, Func<Deadline, IReadOnlyList<ForecastStep>> forecast)
    {
        var notices = new Dictionary<int, string>();
        var rows = form.Tasks.Where(t => !t.IsEmpty).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (DirectiveRegistration.ParseDue(new TaskInput(row.Title, row.Kind, row.Deadline, row.Units), "deadline", calendar) is { IsSuccess: true } due
                && LateRegistration.IsLate(due.Value.Deadline, now))
            {
                notices[i] = LateRegistration.Describe(due.Value.Deadline, !row.Quiet, row.Quiet ? [] : forecast(due.Value.Deadline), now);
            }
        }

        return notices;
    }

    public const string Title = "Tạo công văn";

    /// <summary>The last day a row's deadline gives, in words, and for a term in working days how it was counted; null while the deadline is empty or unreadable.</summary>
    public (string Due, string? Counted)? DueOf(TaskRow row)
    {
        if (row.Deadline.Length == 0)
        {
            return null;
        }

        var due = DirectiveRegistration.ParseDue(new TaskInput(row.Title, row.Kind, row.Deadline, row.Units), "deadline", Calendar);
        if (!due.IsSuccess)
        {
            return null;
        }

        var deadline = due.Value.Deadline;
        var text = deadline.IsEndOfDay
            ? $"Hạn là hết ngày {VietnamTime.Format(deadline.LastDay)} ({VietnamTime.WeekdayName(deadline.LastDay)})."
            : $"Hạn là {deadline.Display}.";
        return (text, due.Value.Term?.Count(Calendar).Explanation);
    }

    /// <summary>The templates the task rows name, by id (643's always), to show what was read and offer their rows to the rules.</summary>
    public IReadOnlyDictionary<string, ReportTemplate> Templates { get; init; } = new Dictionary<string, ReportTemplate> { [TemplateId.Official643Value] = ReportTemplate.Official643 };

    /// <summary>Warnings to confirm before creating (units counted within others).</summary>
    public IReadOnlyList<RegistrationWarning> Warnings { get; init; } = [];

    /// <summary>Directives of the year that already carry the number typed, to confirm before creating another (<see cref="DirectiveNumbers"/>).</summary>
    public IReadOnlyList<Directive> SameNumber { get; init; } = [];

    /// <summary>The directive this form (its <see cref="DirectiveForm.IdempotencyKey"/>) already created, when it was posted again with other content.</summary>
    public DirectiveId? CreatedBefore { get; init; }

    /// <summary>The template of a task row (643's when its id is unknown).</summary>
    public ReportTemplate TemplateOf(TaskRow row) => Templates.GetValueOrDefault(row.Template) ?? ReportTemplate.Official643;

    /// <summary>The row's rules as the form shows them: as chosen, or the template's suggestion.</summary>
    public TemplateRules RulesOf(TaskRow row)
    {
        var template = TemplateOf(row);
        var suggested = template.SuggestedRules;
        var bounds = row.Bounds?.Select(b => new RowBound(int.TryParse(b.Row, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r - 1 : -1, int.TryParse(b.Max, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m - 1 : -1)).ToList();
        return new TemplateRules(bounds ?? suggested.Bounds, row.Totals ?? suggested.TotalsAreSums, row.Blanks == "required" ? BlankCells.Required : row.Blanks == "zero" ? BlankCells.Zero : suggested.Blanks);
    }

    /// <summary>
    /// For a suggested row, the units its groups match (by name, as the form ticked them when it was
    /// suggested) and the groups no unit's name matched, shown as written for the clerk to choose.
    /// </summary>
    public (IReadOnlyList<string> Matched, IReadOnlyList<string> Unmatched) Recipients(TaskRow row)
    {
        var matches = RecipientGroups.Match(row.Named, Tree, Form.Issuer);
        return (
            matches.SelectMany(m => m.Units).Distinct().Select(id => Tree.Find(id)?.Name ?? id.Value).ToList(),
            matches.SelectMany(m => m.Unmatched).Distinct().ToList());
    }

    /// <summary>Lines for a task's text box: enough to read a whole dispatch item on a phone.</summary>
    public static int TitleRows(TaskRow row) => Math.Clamp((row.Title.Length / 45) + 1, 2, 8);

    /// <summary>What "Gợi ý" did, as the clerk reads it above the form.</summary>
    public static string SuggestionNote(SuggestionOutcome outcome)
    {
        if (!outcome.Found)
        {
            return "Không đọc được số, ngày, cơ quan ban hành, trích yếu hay nhiệm vụ nào từ nội dung đã dán. Xin kiểm tra lại nội dung hoặc nhập bằng tay.";
        }

        var parts = new List<string>();
        if (outcome.Added > 0)
        {
            var undated = outcome.WithoutDeadline == 0 ? string.Empty
                : outcome.WithoutDeadline == outcome.Added ? " (công văn không ghi hạn cho nhiệm vụ nào: các nhiệm vụ không có hạn được theo dõi, không gửi thư nhắc; nhập hạn cho nhiệm vụ nào cần nhắc)"
                : $" ({Shared.Pages.Format.Count(outcome.WithoutDeadline)} nhiệm vụ công văn không ghi hạn: được theo dõi, không gửi thư nhắc, trừ khi nhập hạn)";
            parts.Add($"Đã gợi ý {Shared.Pages.Format.Count(outcome.Added)} nhiệm vụ từ nội dung công văn{undated}.");
        }
        else
        {
            parts.Add("Không có nhiệm vụ mới để gợi ý: các nhiệm vụ tìm thấy đã có trên mẫu, hoặc công văn không nêu nhiệm vụ nào.");
        }

        if (outcome.Filled.Count > 0)
        {
            parts.Add($"Đã điền {string.Join(", ", outcome.Filled)} theo công văn.");
        }

        if (outcome.NumberLeftBlank)
        {
            parts.Add("Công văn để trống số: xin nhập số công văn.");
        }

        if (outcome.DayLeftBlank)
        {
            parts.Add("Công văn chưa ghi ngày ban hành: xin nhập ngày.");
        }

        parts.Add("Xin kiểm tra nội dung, hạn và đơn vị thực hiện (đã chọn sẵn theo công văn) trước khi tạo.");
        return string.Join(' ', parts);
    }

    /// <summary>
    /// The task rows shown: the non-empty ones typed, then empty ones — up to three rows in all, at
    /// least one, or as many as the form showed before (<see cref="DirectiveForm.BlankRows"/>, one
    /// more after "Thêm nhiệm vụ") — never more than <see cref="DirectiveRegistration.MaxTasks"/> rows.
    /// </summary>
    public IReadOnlyList<TaskRow> Rows
    {
        get
        {
            var rows = Form.Tasks.Where(t => !t.IsEmpty).ToList();
            var blank = Math.Max(Form.BlankRows, Math.Max(1, 3 - rows.Count));
            rows.AddRange(Enumerable.Repeat(TaskRow.Empty, Math.Max(0, Math.Min(blank, DirectiveRegistration.MaxTasks - rows.Count))));
            return rows;
        }
    }

    /// <summary>How many of <see cref="Rows"/> are empty (posted back with the form).</summary>
    public int BlankRowsShown => Rows.Count(r => r.IsEmpty);

    /// <summary>Whether the form can take one more task.</summary>
    public bool CanAddTask => Rows.Count < DirectiveRegistration.MaxTasks;

    /// <summary>Every working unit (stopped and merged ones receive no tasks) in tree order, indented by depth; a unit with units under it is offered a second time as "and all under it" (<c>id/*</c>).</summary>
    public IReadOnlyList<(string Value, string Label)> UnitOptions
    {
        get
        {
            var options = new List<(string, string)>();
            var working = Tree.All.Where(u => u.IsActive).ToList();
            var children = working.Where(u => u.ParentId is not null).ToLookup(u => u.ParentId!.Value);
            void Add(Unit unit, int depth)
            {
                // Option text collapses ordinary spaces: indent with no-break spaces.
                var indent = new string('\u00A0', depth * 4);
                var below = children[unit.Id].OrderBy(u => u.Name, VietnameseCollation.Instance).ToList();
                if (below.Count > 0)
                {
                    options.Add(($"{unit.Id.Value}{DirectiveRegistration.DescendantsSuffix}", $"{indent}{unit.Name} và các đơn vị trực thuộc"));
                }

                options.Add((unit.Id.Value, $"{indent}{unit.Name}"));
                foreach (var child in below)
                {
                    Add(child, depth + 1);
                }
            }

            foreach (var top in working.Where(u => u.ParentId is null || Tree.Find(u.ParentId.Value) is null).OrderBy(u => u.Name, VietnameseCollation.Instance))
            {
                Add(top, 0);
            }

            return options;
        }
    }

    /// <summary>The units that can lead a task: each working unit alone (a lead is one unit, not a branch).</summary>
    public IReadOnlyList<(string Value, string Label)> LeadOptions =>
        UnitOptions.Where(o => !o.Value.EndsWith(DirectiveRegistration.DescendantsSuffix, StringComparison.Ordinal)).ToList();

    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
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
        ["role"] = "vai trò của đơn vị",
        ["template"] = "mẫu báo cáo",
        ["rules"] = "quy tắc kiểm tra",
        ["rules.bounds"] = "quy tắc “dòng không lớn hơn dòng”",
        ["rules.totals"] = "quy tắc dòng/cột tổng",
        ["rules.blanks"] = "ô để trống",
        ["coverage"] = "phạm vi số liệu",
        ["workingDays"] = "số ngày làm việc",
        ["countFrom"] = "ngày bắt đầu tính",
    };

    /// <summary>"tasks[1].deadline" → "Nhiệm vụ 2, hạn".</summary>
    public static string FieldName(string field)
    {
        if (field.StartsWith("tasks[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is > 6 and var close
            && int.TryParse(field.AsSpan(6, close - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            var part = field[(close + 1)..].TrimStart('.').Split('[')[0];
            return $"Nhiệm vụ {(index + 1).ToString(CultureInfo.InvariantCulture)}" + (part.Length > 0 ? ", " + FieldNames.GetValueOrDefault(part, part) : string.Empty);
        }

        return FieldNames.GetValueOrDefault(field, field);
    }
}
