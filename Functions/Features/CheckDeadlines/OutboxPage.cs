using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.LocalTriggers;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Pages;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// <c>GET /office/outbox?state=</c> (OfficeOutbox): when CheckDeadlines runs next (from its
/// function.json schedule) and what that run would send, to whom; then every email the system
/// decided — sent, waiting, failed (with the provider's answer) or only recorded — newest first.
/// </summary>
public static class OutboxPage
{
    public const string Title = "Thư nhắc, đôn đốc";
    public const int MaxShown = 300;

    public static IEndpointRouteBuilder MapOutboxPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/office/outbox", ShowAsync).WithName("OfficeOutbox").RequireAuthorization(OfficeAuthentication.Policy).ExcludeFromDescription();
        return app;
    }

    private sealed record PreviewLine(Directive Directive, DirectiveTask Task, string Unit, LadderStep Step, Recipients Recipients);

    private static async Task<IResult> ShowAsync(
        string? state, HttpContext context, IDirectiveStore directives, DirectiveRegistry registry, UnitRegistry units, IEscalationStore store, DeadlineCheck check, FunctionCatalog catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nextRun = NextRun(catalog, now);
        var tree = await units.TreeAsync(cancellationToken);
        var preview = new List<PreviewLine>();
        var emails = new List<(Directive? Directive, OutboxEntry Entry)>();
        foreach (var directive in await directives.ListAsync(cancellationToken))
        {
            emails.AddRange((await store.OutboxAsync(directive.Id.Value, cancellationToken)).Select(e => ((Directive?)directive, e)));
            if (directive.LastDeadline.PassesAt.AddDays(30) < now)
            {
                continue;
            }

            var view = await registry.ViewAsync(directive.Id.Value, cancellationToken);
            if (!view.IsSuccess)
            {
                continue;
            }

            var ladders = (await store.LaddersAsync(directive.Id, cancellationToken)).ToDictionary(l => l.Key);
            foreach (var a in view.Value.Assignments)
            {
                var key = new AssignmentKey(directive.Id, a.Task.Id, a.UnitId);
                var ladder = ladders.GetValueOrDefault(key) ?? new LadderState(key, new HashSet<string>(), null);
                preview.AddRange(check.Preview(directive, a.Task, a.Unit, tree.ChainUpward(a.UnitId), a.Standing, ladder, nextRun)
                    .Select(p => new PreviewLine(directive, a.Task, a.Unit?.Name ?? a.UnitId.Value, p.Step, p.Recipients)));
            }
        }

        emails.AddRange((await store.OutboxAsync(OutboxEntry.OfficeScope, cancellationToken)).Select(e => ((Directive?)null, e)));
        var wanted = Enum.TryParse<OutboxState>(state, ignoreCase: true, out var s) ? s : (OutboxState?)null;
        var shown = emails.Where(e => wanted is null || e.Entry.State == wanted).OrderByDescending(e => e.Entry.CreatedAt).Take(MaxShown).ToList();
        var failed = emails.Count(e => e.Entry.State == OutboxState.Failed);
        var onlyRecorded = emails.Any(e => e.Entry.State == OutboxState.Recorded);
        return OfficeLayout.Page(context, Title, Html.Of($"""
            <section>
            <h1>{Title}</h1>
            <h2>Lần kiểm tra hạn tiếp theo: {VietnamTime.FormatDateTime(nextRun)}</h2>
            {(preview.Count == 0
                ? Html.Of($"<p class=\"muted\">Lần này sẽ không gửi thư nào.</p>")
                : Html.Of($"""
                    <p>Sẽ gửi {preview.Count} thư:</p>
                    <div class="scroll"><table>
                    <thead><tr><th>Công văn</th><th>Nhiệm vụ</th><th>Đơn vị</th><th>Bước</th><th>Gửi đến</th></tr></thead>
                    <tbody>{Html.Join(preview, p => Html.Of($"<tr><td><a href=\"/office/directives/{p.Directive.Id.Value}\">{p.Directive.Number}</a></td><td>{p.Task.Title}</td><td>{p.Unit}</td><td>{p.Step.DisplayName}</td><td>{Recipients(p.Recipients.To, p.Recipients.Cc)}</td></tr>"))}</tbody>
                    </table></div>
                    """))}
            </section>
            <section>
            <h2>Thư đã quyết định gửi</h2>
            {Html.When(failed > 0, Html.Of($"<p class=\"errors\" role=\"alert\">{failed} thư gửi không thành công — xem câu trả lời của nhà cung cấp ở cột “Trạng thái”, sửa địa chỉ của đơn vị nếu cần.</p>"))}
            {Html.When(onlyRecorded, Html.Of($"<p class=\"muted\">Chưa cấu hình SendGrid (SendGrid__ApiKey): thư chỉ được ghi nhận ở đây, không gửi đi.</p>"))}
            <p class="tabs">{Tab(null, "Tất cả", wanted)}{Tab(OutboxState.Failed, "Gửi lỗi", wanted)}{Tab(OutboxState.Pending, "Đang chờ gửi", wanted)}{Tab(OutboxState.Sent, "Đã gửi", wanted)}</p>
            {(shown.Count == 0
                ? Html.Of($"<p class=\"muted\">Chưa có thư nào.</p>")
                : Html.Of($"""
                    <div class="scroll"><table>
                    <thead><tr><th>Lúc</th><th>Công văn</th><th>Thư</th><th>Gửi đến</th><th>Trạng thái</th></tr></thead>
                    <tbody>{Html.Join(shown, e => Html.Of($"<tr><td>{VietnamTime.FormatDateTime(e.Entry.SentAt ?? e.Entry.CreatedAt)}</td><td>{(e.Directive is { } d ? Html.Of($"<a href=\"/office/directives/{d.Id.Value}\">{d.Number}</a>") : Html.Text("Tổng hợp hằng ngày"))}</td><td>{(LadderStep.Parse(e.Entry.Step) is { } step ? step.DisplayName : "Thư tổng hợp")}<br><span class=\"muted\">{e.Entry.Content.Subject}</span></td><td>{Recipients(e.Entry.To, e.Entry.Cc)}</td><td class=\"{StateClass(e.Entry.State)}\">{StateName(e.Entry.State)}{Html.When(e.Entry.Attempts > 1, Html.Of($" ({e.Entry.Attempts} lần)"))}{Html.When(e.Entry.State is OutboxState.Failed or OutboxState.Pending && e.Entry.Result is { Length: > 0 }, Html.Of($"<br><span class=\"muted\">Nhà cung cấp trả lời: {e.Entry.Result}</span>"))}</td></tr>"))}</tbody>
                    </table></div>
                    """))}
            </section>
            """));
    }

    /// <summary>The next run of CheckDeadlines by its function.json schedule; in five minutes when the schedule cannot be read.</summary>
    private static DateTimeOffset NextRun(FunctionCatalog catalog, DateTimeOffset now)
    {
        try
        {
            var schedule = catalog.Functions.FirstOrDefault(f => f.Name == CheckDeadlinesFunction.FunctionName)?.Trigger.Schedule;
            return schedule is null ? now.AddMinutes(5) : TimerSchedule.Parse(schedule).NextAfter(now);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or FormatException or Cronos.CronFormatException)
        {
            return now.AddMinutes(5);
        }
    }

    private static Markup Tab(OutboxState? state, string name, OutboxState? current) =>
        state == current
            ? Html.Of($"<strong>{name}</strong> ")
            : Html.Of($"<a href=\"/office/outbox{(state is null ? string.Empty : "?state=" + state.Value.ToString().ToLowerInvariant())}\">{name}</a> ");

    private static Markup Recipients(IReadOnlyList<string> to, IReadOnlyList<string> cc) =>
        Html.Of($"{string.Join(", ", to)}{Html.When(cc.Count > 0, Html.Of($"<br><span class=\"muted\">CC: {string.Join(", ", cc)}</span>"))}");

    private static string StateName(OutboxState state) => state switch
    {
        OutboxState.Sent => "Đã gửi",
        OutboxState.Pending => "Đang chờ gửi",
        OutboxState.Failed => "Gửi lỗi",
        _ => "Chỉ ghi nhận",
    };

    private static string StateClass(OutboxState state) => state switch
    {
        OutboxState.Sent => "ok",
        OutboxState.Failed => "late",
        _ => "warn",
    };
}
