using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Functions.Features.CheckDeadlines;
using ServerlessWorkflow.Functions.Features.Directives;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Storage;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Faults;

/// <summary>
/// Registration fails at each of its writes in turn (<see cref="TableFaults"/>: the storage client
/// fails the n-th write — before it is made, or after it was made with the answer lost, as a crash
/// right after it). Whatever the write, storage afterwards holds no directive that exists (has its
/// header: its board, its units' links, the deadline check) without its assignments and its due-time
/// index, and none in the office's list without its header; then either the retry with the same
/// Idempotency-Key makes it whole, once (one directive, one audit entry), or — without a key — the
/// next CheckDeadlines run finishes it (or drops it if it never existed), and the run after reminds
/// each directive that exists, once.
/// </summary>
public sealed class RegistrationFaultTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_registration_failed_at_any_write_is_never_visible_without_its_index_and_the_retry_with_its_key_makes_it_whole_once()
    {
        var faults = new TableFaults();
        await using var h = new EscalationHarness(storage) { Services = faults.AddTo };
        await h.StartAsync();
        var log = await CountWritesAsync(h, faults, key => PostAsync(h, "2-CV/ĐU", key), "dem-so-lan-ghi");
        var writes = log.Count;
        Assert.True(writes >= 8, string.Join("\n", log)); // key, note, assignments, index, header, list, audit, note removed

        var numbers = new List<string> { "1-CV/ĐU", "2-CV/ĐU" };
        foreach (var afterWrite in new[] { false, true })
        {
            for (var n = 1; n <= writes; n++)
            {
                var number = $"{n}{(afterWrite ? "s" : "t")}-CV/ĐU";
                var key = $"khoa-{n}-{afterWrite}";
                numbers.Add(number);
                faults.Arm(n, afterWrite);
                using (var failed = await PostAsync(h, number, key))
                {
                    Assert.True((int)failed.StatusCode >= 500, $"write {n} ({(afterWrite ? "after" : "before")}): {(int)failed.StatusCode}\n{string.Join("\n", faults.Log)}");
                }

                faults.Disarm();
                await AssertNothingLiveWithoutIndexAsync(h);

                h.Clock.Advance(TimeSpan.FromMinutes(1));
                using var retry = await PostAsync(h, number, key);
                var body = await retry.Content.ReadAsStringAsync(Ct);
                var whole = afterWrite && n == writes; // only the last write's answer was lost: it was whole already
                Assert.True(retry.StatusCode == (whole ? HttpStatusCode.OK : HttpStatusCode.Created), $"write {n} ({(afterWrite ? "after" : "before")}): {(int)retry.StatusCode} {body}");
                var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
                var listed = await ListedAsync(h, number);
                Assert.Equal([id], listed);
                await AssertNothingLiveWithoutIndexAsync(h);
                Assert.Equal(1, await RegistrationsAuditedAsync(h, id));
            }
        }

        Assert.Empty(await NotesAsync(h));
        await AssertEachRemindedOnceAsync(h, numbers);
    }

    [Fact]
    public async Task Without_a_key_the_next_deadline_check_finishes_a_registration_cut_short_or_drops_one_that_never_existed_and_reminds_once()
    {
        var faults = new TableFaults();
        await using var h = new EscalationHarness(storage) { Services = faults.AddTo };
        await h.StartAsync();
        var log = await CountWritesAsync(h, faults, _ => PostAsync(h, "2-CV/ĐU", null), null);
        var writes = log.Count;
        var header = log.FindIndex(l => l.Contains("PartitionKey='all'", StringComparison.Ordinal)); // the header (an insert) is the write just before its list copy: its 1-based number
        Assert.True(header > 0, string.Join("\n", log));

        var expected = new Dictionary<string, bool> { ["1-CV/ĐU"] = true, ["2-CV/ĐU"] = true };
        for (var n = 1; n <= writes; n++)
        {
            var number = $"{n}-KH/ĐU";
            expected[number] = n > header; // the header was written: the directive exists and is finished
            faults.Arm(n);
            using (var failed = await PostAsync(h, number, null))
            {
                Assert.True((int)failed.StatusCode >= 500, $"write {n}: {(int)failed.StatusCode}\n{string.Join("\n", faults.Log)}");
            }

            faults.Disarm();
            await AssertNothingLiveWithoutIndexAsync(h);
        }

        // A run within minutes leaves registrations that may still be under way alone; the next one finishes them.
        await h.RunAsync();
        Assert.Equal(writes - 1, (await NotesAsync(h)).Count); // every failure but at the first write (the note itself) left its note
        h.Clock.Advance(TimeSpan.FromMinutes(6));
        await h.RunAsync();

        Assert.Empty(await NotesAsync(h));
        await AssertNothingLiveWithoutIndexAsync(h);
        foreach (var (number, visible) in expected)
        {
            var listed = await ListedAsync(h, number);
            Assert.True(listed.Count == (visible ? 1 : 0), $"{number}: listed {listed.Count}, expected {(visible ? "whole" : "nothing")}");
            foreach (var id in listed)
            {
                Assert.Equal(1, await RegistrationsAuditedAsync(h, id));
            }
        }

        await AssertEachRemindedOnceAsync(h, expected.Where(e => e.Value).Select(e => e.Key).ToList());
    }

    [Fact]
    public async Task A_directive_edited_on_another_instance_before_the_repair_finishes_its_registration_keeps_the_edit()
    {
        var faults = new TableFaults();
        await using var h = new EscalationHarness(storage) { Services = faults.AddTo };
        await h.StartAsync();
        var log = await CountWritesAsync(h, faults, _ => PostAsync(h, "2-CV/ĐU", null), null);
        var noteRemoved = log.FindIndex(l => l.StartsWith($"{log.Count}: DELETE", StringComparison.Ordinal) && l.Contains("PartitionKey='registering'", StringComparison.Ordinal)) + 1;
        Assert.True(noteRemoved == log.Count, string.Join("\n", log)); // the note is removed last

        // Cut short at its last write: the directive is whole and visible, its note stays.
        faults.Arm(noteRemoved);
        using (var failed = await PostAsync(h, "3-CV/ĐU", null))
        {
            Assert.True((int)failed.StatusCode >= 500);
        }

        faults.Disarm();
        var id = Assert.Single(await ListedAsync(h, "3-CV/ĐU"));
        Assert.Single(await NotesAsync(h));

        // Minutes later, this instance has just read the directive (its copy kept in memory) when a clerk
        // on another instance corrects the subject; then this instance's deadline check repairs the registration.
        h.Clock.Advance(TimeSpan.FromMinutes(6));
        await using var other = new HandlerApp(storage.ConnectionString, h.App.Prefix, h.Settings, services => services.AddSingleton<TimeProvider>(h.Clock));
        var otherOffice = new OfficeClient(other.Start());
        using (var read = await h.Office.SendAsync(HttpMethod.Get, $"api/directives/{id}"))
        using (var edit = OfficeClient.Request(HttpMethod.Patch, $"api/directives/{id}", new { subject = "Trích yếu đã sửa", reason = "Sai chính tả" }))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            edit.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.ToString());
            using var edited = await otherOffice.Http.SendAsync(edit, Ct);
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        }

        await h.RunAsync();

        Assert.Empty(await NotesAsync(h));
        using var after = await otherOffice.SendAsync(HttpMethod.Get, $"api/directives/{id}");
        var body = JsonDocument.Parse(await after.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("Trích yếu đã sửa", body.GetProperty("subject").GetString());
        Assert.Equal("\"r1\"", after.Headers.ETag?.ToString());
        using var list = await otherOffice.SendAsync(HttpMethod.Get, "api/directives");
        var listed = JsonDocument.Parse(await list.Content.ReadAsStringAsync(Ct)).RootElement.EnumerateArray().Single(d => d.GetProperty("id").GetString() == id);
        Assert.Equal("Trích yếu đã sửa", listed.GetProperty("subject").GetString());
        Assert.Equal(1, await RegistrationsAuditedAsync(h, id));
    }

    /// <summary>
    /// The writes of a registration once the store is in use: the first registration also creates rows
    /// later ones only update (it is made first, unfailed), so the second one's writes are those each
    /// failing registration goes through.
    /// </summary>
    private static async Task<List<string>> CountWritesAsync(EscalationHarness h, TableFaults faults, Func<string?, Task<HttpResponseMessage>> second, string? key)
    {
        using (var first = await PostAsync(h, "1-CV/ĐU", key is null ? null : key + "-1"))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        faults.Arm();
        using (var clean = await second(key))
        {
            Assert.Equal(HttpStatusCode.Created, clean.StatusCode);
        }

        faults.Disarm();
        return faults.Log.ToList();
    }

    private static async Task<HttpResponseMessage> PostAsync(EscalationHarness h, string number, string? key)
    {
        using var request = OfficeClient.Request(HttpMethod.Post, "api/directives");
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        request.Content = JsonContent(new
        {
            number,
            issuedOn = "2026-02-05",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Triển khai dịch vụ công của Đảng",
            tasks = new[]
            {
                new { title = "Mở tài khoản ngân hàng", kind = "confirmation", deadline = "Trước ngày 26/02/2026", units = new[] { "chi-bo-b" } },
                new { title = "Báo cáo kết quả", kind = "confirmation", deadline = "Trước ngày 26/02/2026", units = new[] { "chi-bo-b", "dang-bo-a" } },
            },
        });
        return await h.Office.Http.SendAsync(request, Ct);
    }

    private static System.Net.Http.Json.JsonContent JsonContent(object value) => System.Net.Http.Json.JsonContent.Create(value);

    private static TableClient Table(EscalationHarness h, string name) =>
        h.App.Services.GetRequiredService<TableServiceClient>().GetTableClient(h.App.Services.GetRequiredService<StorageNames>().Table(name));

    private static async Task<List<TableEntity>> RowsAsync(TableClient table, string filter)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: Ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// Every directive with a header has all its assignments and a due-time entry for each; every one
    /// in the office's list has a header.
    /// </summary>
    private static async Task AssertNothingLiveWithoutIndexAsync(EscalationHarness h)
    {
        var directives = Table(h, TableDirectiveStore.TableName);
        var headers = await RowsAsync(directives, "RowKey eq 'directive'");
        var due = (await RowsAsync(Table(h, TableEscalationStore.IndexTable), "PartitionKey eq 'due'")).Select(r => r.RowKey[(r.RowKey.IndexOf('|', StringComparison.Ordinal) + 1)..]).ToHashSet();
        foreach (var header in headers)
        {
            var id = header.PartitionKey;
            var expected = JsonDocument.Parse(header.GetString("Tasks")).RootElement.EnumerateArray().Sum(t => t.GetProperty("UnitCount").GetInt32());
            var assignments = await RowsAsync(directives, TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge 'a|' and RowKey lt 'a}}'"));
            Assert.True(expected == assignments.Count, $"{id} exists with {assignments.Count} of its {expected} assignments");
            foreach (var a in assignments)
            {
                var key = $"{id}|{a.GetString("TaskId")}|{a.GetString("UnitId")}";
                Assert.True(due.Contains(key), $"{id} exists without its due-time entry {key}");
            }
        }

        var withHeader = headers.Select(r => r.PartitionKey).ToHashSet();
        foreach (var listed in await RowsAsync(directives, "PartitionKey eq 'all'"))
        {
            Assert.True(withHeader.Contains(listed.RowKey), $"{listed.RowKey} is in the list without its header");
        }
    }

    private static async Task<List<string>> ListedAsync(EscalationHarness h, string number)
    {
        using var response = await h.Office.SendAsync(HttpMethod.Get, "api/directives");
        var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        return list.EnumerateArray().Where(d => d.GetProperty("number").GetString() == number).Select(d => d.GetProperty("id").GetString()!).ToList();
    }

    private static async Task<List<TableEntity>> NotesAsync(EscalationHarness h) =>
        await RowsAsync(Table(h, TableDirectiveStore.TableName), "PartitionKey eq 'registering'");

    private static async Task<int> RegistrationsAuditedAsync(EscalationHarness h, string id) =>
        (await h.App.Services.GetRequiredService<AuditReader>().TrailAsync(new AuditFilter(DirectiveId: id), 100, Ct)).Entries.Count(e => e.Event.Action == AuditAction.DirectiveRegistered);

    /// <summary>After the deadline (26/02, 00:00), the next morning's run reminds each directive's late unit once — each directive its own email.</summary>
    private static async Task AssertEachRemindedOnceAsync(EscalationHarness h, List<string> numbers)
    {
        var mails = await h.RunAtAsync(EscalationHarness.Vietnam(2, 27, 8));
        var toUnit = mails.Where(m => m.To.Any(t => t.Email == "chi-bo-b@example.invalid")).ToList();
        foreach (var number in numbers)
        {
            Assert.True(toUnit.Count(m => m.Subject!.EndsWith($"Công văn số {number}", StringComparison.Ordinal)) == 1, $"{number}: {string.Join(" | ", toUnit.Select(m => m.Subject))}");
        }

        Assert.Equal(numbers.Count, toUnit.Count);
    }
}
