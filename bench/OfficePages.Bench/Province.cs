// A province's data for the office's pages, written through the handler's own stores; shared by
// bench/office-pages.sh (OfficePages.Bench, at full size) and the handler tests (OfficePagesScaleTests,
// small), which link this file.
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Bench;

/// <summary>How large a province is: its directives, its units (every unit is assigned every task) and the tasks of each directive.</summary>
public sealed record ProvinceSize(int Directives, int Units, int Tasks)
{
    /// <summary>Issue 17's province: 100 directives, 2,000 units, 3 tasks each — 600,000 assignments.</summary>
    public static readonly ProvinceSize Issue17 = new(100, 2_000, 3);

    public long Assignments => (long)Directives * Units * Tasks;
}

/// <summary>What seeding wrote.</summary>
public sealed record SeedOutcome(int Directives, long Assignments, int Versions, TimeSpan Took);

/// <summary>
/// Seeds a province through the handler's stores, as registrations and units' posts leave them:
/// the units (<see cref="IUnitStore"/>); each directive's rows (<see cref="IDirectiveStore"/>); every
/// unit's reports as versions with each assignment's progress, imported in transactions of 100 rows
/// (<see cref="ISubmissionLedger.ImportAsync"/>: the rows a post writes, without a post's round trips);
/// then the office's read models, built whole from that progress (<see cref="ProgressProjector.RegisteredAsync"/>). Not written: the deadline
/// check's index and ladders (the pages do not read the index; the board reads the ladders, empty here).
/// <para>
/// Deterministic for a given <see cref="Now"/>: directive <c>i</c> of <c>n</c> is issued
/// <c>330·(i+1)/n</c> days after <see cref="Now"/> − 340 days (the last one 10 days ago); its tasks fall due 7, 14 and 30 days later
/// (one more week per further task). Each assignment whose deadline has passed: 70 % completed on time,
/// 12 % completed 1–10 days late, 8 % reported in progress, 10 % nothing; one due later: 40 % completed
/// early, 20 % in progress, the rest nothing.
/// </para>
/// </summary>
public sealed class ProvinceSeeder(IServiceProvider services, ProvinceSize size, DateTimeOffset now)
{
    /// <summary>Units written at once.</summary>
    private const int Parallel = 16;

    public DateTimeOffset Now => now;

    public ProvinceSize Size => size;

    /// <summary>The units: one top committee (level 1), one grassroots committee (level 2) per 50 units under it, the rest affiliated cells (level 4) spread under those.</summary>
    public IReadOnlyList<Unit> Units { get; } = MakeUnits(size.Units);

    public static UnitId TopUnit => UnitId.Parse("tinh-uy").Value;

    public async Task SeedUnitsAsync(CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IUnitStore>();
        await System.Threading.Tasks.Parallel.ForEachAsync(Units, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken }, async (unit, ct) =>
        {
            var written = await store.PutAsync(unit, null, ct);
            if (!written.IsSuccess && written.Error!.Kind != ErrorKind.Conflict)
            {
                throw new InvalidOperationException($"Unit {unit.Id}: {written.Error.Message}");
            }
        });
    }

    /// <summary>Directives <paramref name="from"/> (included) to <paramref name="to"/> (excluded) of the province, with their units' reports and read models.</summary>
    public async Task<SeedOutcome> SeedDirectivesAsync(int from, int to, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var directives = services.GetRequiredService<IDirectiveStore>();
        var ledger = services.GetRequiredService<ISubmissionLedger>();
        var projector = services.GetRequiredService<ProgressProjector>();
        var versions = 0;
        for (var i = from; i < to; i++)
        {
            var directive = Directive(i);
            await directives.CreateAsync(directive, cancellationToken);
            var sent = directive.Tasks.SelectMany(t => t.Units.Select(u => Report(directive, t, u))).OfType<SubmissionVersion>().ToList();
            var imported = await ledger.ImportAsync(directive.Id, sent, cancellationToken);
            if (!imported.IsSuccess)
            {
                throw new InvalidOperationException($"Directive {directive.Id}: {imported.Error!.Message}");
            }

            versions += imported.Value;

            // The read models built whole from the progress imported with the versions (boards, units' months, counts).
            await projector.RegisteredAsync(directive, cancellationToken);
        }

        return new SeedOutcome(to - from, (long)(to - from) * size.Units * size.Tasks, versions, clock.Elapsed);
    }

    /// <summary>Directive <paramref name="index"/> of the province: its number, date and tasks, every unit assigned to each.</summary>
    public Directive Directive(int index)
    {
        var issued = VietnamTime.DateOf(now).AddDays(-340 + (int)(330L * (index + 1) / Math.Max(1, size.Directives)));
        var units = Units.Select(u => u.Id).ToList();
        var tasks = Enumerable.Range(0, size.Tasks).Select(t => new DirectiveTask(
            TaskId.ForIndex(t),
            TaskTitles[t % TaskTitles.Length],
            TaskKind.Confirmation,
            Deadline.EndOfDay(issued.AddDays(t switch { 0 => 7, 1 => 14, _ => 30 + (t - 2) * 7 })),
            units)).ToList();
        var number = (index + 1).ToString(CultureInfo.InvariantCulture);
        return new Directive(
            IdOf(index),
            $"{number}-CV/TU",
            issued,
            "Tỉnh ủy",
            $"Triển khai nhiệm vụ số {number} năm {issued.Year.ToString(CultureInfo.InvariantCulture)}",
            tasks,
            VietnamTime.EndOf(issued.AddDays(-1)));
    }

    /// <summary>The id of directive <paramref name="index"/>: fixed, so a run can be measured again without seeding.</summary>
    public static DirectiveId IdOf(int index) => DirectiveId.Parse("dprov" + index.ToString("D8", CultureInfo.InvariantCulture)).Value;

    private static readonly string[] TaskTitles =
    [
        "Rà soát, cập nhật thông tin đảng viên trên Cổng dịch vụ công",
        "Mở tài khoản ngân hàng mang tên tổ chức đảng để thu, nộp đảng phí",
        "Gửi báo cáo kết quả thực hiện về Văn phòng Tỉnh ủy",
    ];

    /// <summary>What unit <paramref name="unit"/> sent for <paramref name="task"/> (as the class says), or null: nothing, or not yet.</summary>
    private SubmissionVersion? Report(Directive directive, DirectiveTask task, UnitId unit)
    {
        var roll = Roll(directive.Id, task.Id, unit);
        var deadline = task.Due.PassesAt;
        var passed = task.Due.HasPassed(now);
        (SubmissionStatus Status, DateTimeOffset At)? sent = passed
            ? roll switch
            {
                < 70 => (SubmissionStatus.Done, deadline.AddHours(-(roll % 7 + 1) * 20)),
                < 82 => (SubmissionStatus.Done, deadline.AddHours((roll % 10 + 1) * 24 - 14)),
                < 90 => (SubmissionStatus.InProgress, deadline.AddDays(-2)),
                _ => null,
            }
            : roll switch
            {
                < 40 => (SubmissionStatus.Done, Min(deadline.AddDays(-5), now.AddHours(-1 - roll))),
                < 60 => (SubmissionStatus.InProgress, Min(deadline.AddDays(-5), now.AddHours(-1 - roll))),
                _ => null,
            };
        if (sent is not { } s || s.At > now || s.At < directive.RegisteredAt)
        {
            return null;
        }

        var input = new SubmissionInput(s.Status, s.Status == SubmissionStatus.Done ? "Đã thực hiện xong." : "Đang thực hiện.");
        var id = SubmissionVersion.DeriveId(directive.Id, task.Id, unit, input, "seed", s.At);
        return new SubmissionVersion(id, directive.Id, task.Id, unit, s.At, s.Status, input.Note, task.IsPastDeadline(s.At), []);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>0–99, fixed for an assignment (FNV-1a of its keys).</summary>
    private static int Roll(DirectiveId directive, TaskId task, UnitId unit)
    {
        var hash = 2166136261u;
        foreach (var c in $"{directive}|{task}|{unit}")
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % 100);
    }

    private static List<Unit> MakeUnits(int count)
    {
        var units = new List<Unit> { new(TopUnit, "Đảng bộ tỉnh", UnitLevel.UpperGrassroots, null, Email("tinh-uy")) };
        var committees = Math.Max(1, (count - 1) / 50);
        for (var c = 1; c <= committees && units.Count < count; c++)
        {
            var id = $"dang-bo-{c:D3}";
            units.Add(new Unit(UnitId.Parse(id).Value, $"Đảng bộ cơ sở số {c:D3}", UnitLevel.Grassroots, TopUnit, Email(id)));
        }

        for (var n = 1; units.Count < count; n++)
        {
            var id = $"chi-bo-{n:D5}";
            var parent = UnitId.Parse($"dang-bo-{(n - 1) % committees + 1:D3}").Value;
            units.Add(new Unit(UnitId.Parse(id).Value, $"Chi bộ số {n:D5}", UnitLevel.AffiliatedCell, parent, Email(id)));
        }

        return units;
    }

    private static EmailAddress Email(string id) => EmailAddress.Parse(id + "@example.invalid").Value;
}

/// <summary>Counts the HTTP requests a storage client sends (add it to the client's pipeline, per call).</summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}

public static class StorageCounting
{
    /// <summary>The handler's table and blob clients, made again with <paramref name="counter"/> in their pipelines (register after the handler's own).</summary>
    public static IServiceCollection CountStorageRequests(this IServiceCollection services, StorageRequestCounter counter) =>
        services
            .AddSingleton(sp => sp.GetRequiredService<Functions.Storage.StorageConnection>().CreateTableServiceClient(Counted(new Azure.Data.Tables.TableClientOptions(), counter)))
            .AddSingleton(sp => sp.GetRequiredService<Functions.Storage.StorageConnection>().CreateBlobServiceClient(Counted(new Azure.Storage.Blobs.BlobClientOptions(), counter)));

    private static T Counted<T>(T options, StorageRequestCounter counter)
        where T : ClientOptions
    {
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        return options;
    }
}
