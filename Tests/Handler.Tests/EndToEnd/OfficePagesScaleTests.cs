using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Bench;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// The office's pages on a small province seeded as bench/office-pages.sh seeds the full one
/// (<see cref="ProvinceSeeder"/>, linked from bench/OfficePages.Bench): the home, a board and the
/// units page make as many storage requests with six directives as with two, and what they read from
/// the read models equals a full recompute from every version.
/// </summary>
public sealed class OfficePagesScaleTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly ProvinceSize Size = new(Directives: 6, Units: 120, Tasks: 3);
    private readonly StorageRequestCounter _requests = new();
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;
    private ProvinceSeeder _province = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), services: s => s.CountStorageRequests(_requests));
        _office = new OfficeClient(_app.Start());
        _province = new ProvinceSeeder(_app.Services, Size, DateTimeOffset.UtcNow);
        await _province.SeedUnitsAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The months every seeded task falls in: from the first directive's (340 days ago) to the last task's (30 days after the last directive, 10 days ago).</summary>
    private Period Year => new(Month.Containing(_province.Now.AddDays(-345)), Month.Containing(_province.Now.AddDays(25)));

    private string[] Pages => [
        "office",
        $"office/directives/{ProvinceSeeder.IdOf(0)}",
        $"office/units?tu={Year.From.Key}&den={Year.To.Key}",
    ];

    [Fact]
    public async Task The_office_home_a_board_and_the_units_page_make_as_many_storage_requests_with_six_directives_as_with_two()
    {
        await _province.SeedDirectivesAsync(0, 2, Ct);
        var withTwo = await CountAsync();
        await _province.SeedDirectivesAsync(2, 6, Ct);
        var withSix = await CountAsync();

        Assert.Equal(withTwo, withSix);
        Assert.All(withSix, n => Assert.InRange(n, 1, 8));
    }

    [Fact]
    public async Task What_the_pages_read_from_the_read_models_equals_a_full_recompute_from_every_version()
    {
        var seeded = await _province.SeedDirectivesAsync(0, Size.Directives, Ct);
        var desk = _app.Services.GetRequiredService<ServerlessWorkflow.Domain.Progress.OfficeDesk>();
        var registry = _app.Services.GetRequiredService<DirectiveRegistry>();
        var tree = await _app.Services.GetRequiredService<UnitRegistry>().TreeAsync(Ct);
        var full = new List<DirectiveView>();
        for (var i = 0; i < Size.Directives; i++)
        {
            full.Add((await registry.ViewAsync(ProvinceSeeder.IdOf(i).Value, Ct)).Value);
        }

        // The seeding left every kind of cell: on time, late, overdue and pending.
        Assert.True(seeded.Versions > Size.Assignments / 2, $"{seeded.Versions} versions");
        Assert.Equal(
            [.. Enum.GetValues<ServerlessWorkflow.Domain.Submissions.AssignmentState>()],
            full.SelectMany(v => v.Assignments).Select(a => a.Standing.State).Distinct().Order());

        // The home: each directive's rates.
        var home = (await desk.DirectivesAsync(Ct)).ToDictionary(d => d.Directive.Id, d => d.Rates);
        Assert.All(full, v => Assert.Equal(ProgressRates.Of("Tất cả", v.Assignments.Select(a => a.Standing.State)), home[v.Directive.Id]));

        // A board: every cell's state, completion and days.
        foreach (var view in full.Take(2))
        {
            var board = (await desk.ViewAsync(view.Directive.Id.Value, tree, Ct)).Value;
            Assert.Equal(
                view.Assignments.Select(a => (a.UnitId, a.Task.Id, a.Standing.State, a.Standing.CompletedAt, a.Standing.DaysOverdue)),
                board.Assignments.Select(a => (a.UnitId, a.Task.Id, a.Standing.State, a.Standing.CompletedAt, a.Standing.DaysOverdue)));
        }

        // The units page: each unit's record over the year.
        var recomputed = full.SelectMany(v => v.Assignments).Where(a => Year.Covers(a.Task))
            .GroupBy(a => a.UnitId).ToDictionary(g => g.Key, g => UnitRecord.Of(g.Select(a => a.Standing)));
        var units = (await desk.UnitsAsync(Year, tree, Ct)).ToDictionary(u => u.UnitId, u => u.Record);
        Assert.Equal(Size.Units, recomputed.Count);
        Assert.All(recomputed, r => Assert.Equal(r.Value, units[r.Key]));

        foreach (var page in Pages)
        {
            using var response = await _office.SendAsync(HttpMethod.Get, page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>The storage requests each page makes once warm (its directive read and the calendar kept in memory): the fewest of three loads.</summary>
    private async Task<int[]> CountAsync()
    {
        var counts = new int[Pages.Length];
        for (var p = 0; p < Pages.Length; p++)
        {
            counts[p] = int.MaxValue;
            for (var run = 0; run < 4; run++)
            {
                _requests.Reset();
                using var response = await _office.SendAsync(HttpMethod.Get, Pages[p]);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                counts[p] = run == 0 ? counts[p] : Math.Min(counts[p], _requests.Count);
            }
        }

        return counts;
    }
}
