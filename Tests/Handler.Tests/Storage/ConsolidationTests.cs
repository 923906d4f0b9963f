using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Features.Directives;
using ServerlessWorkflow.Functions.Features.Statistics;
using ServerlessWorkflow.Functions.Features.Submissions;
using ServerlessWorkflow.Functions.Storage;
using ServerlessWorkflow.Tests.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Storage;

/// <summary>Consolidation against a real Azurite: incremental totals equal a full recompute, whatever the order, repetition or concurrency.</summary>
public sealed class ConsolidationTests(StorageFixture storage)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task After_any_sequence_of_uploads_re_uploads_and_rejections_processed_out_of_order_twice_and_in_parallel_the_totals_equal_a_full_recompute(int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        var names = new StorageNames(StorageFixture.NewPrefix());
        var tables = new TableServiceClient(storage.ConnectionString);
        foreach (var table in new[] { TableStatisticsStore.UploadsTable, TableStatisticsStore.StatisticsTable, TableSubmissionStore.TableName, TableDirectiveStore.TableName })
        {
            await tables.CreateTableIfNotExistsAsync(names.Table(table), ct);
        }

        var store = new TableStatisticsStore(tables, names);
        var directives = new TableDirectiveStore(tables, names);
        var units = Enumerable.Range(0, 6).Select(i => UnitId.Parse($"u{i}").Value).ToList();
        var directive = new Directive(DirectiveId.New(), "643-CV/ĐU", new DateOnly(2026, 2, 5), "Đảng ủy", "Thống kê", [new DirectiveTask(TaskId.ForIndex(0), "Báo cáo", TaskKind.Statistics, Deadline.EndOfDay(new DateOnly(2026, 2, 9)), units)], DateTimeOffset.UnixEpoch);
        await directives.CreateAsync(directive, ct);
        var import = new StatisticsImport(store, directives, new TableSubmissionStore(tables, names), TimeProvider.System);
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 2, 6, 8, 0, 0, TimeSpan.Zero);

        // Upload 40 files: random units, random figures, some invalid.
        var uploads = new List<(Upload Upload, byte[] File, bool Valid)>();
        for (var i = 0; i < 40; i++)
        {
            var unit = units[random.Next(units.Count)];
            var figures = XlsxFixture.Figures(total: random.Next(5, 50));
            var valid = random.Next(4) > 0;
            if (!valid)
            {
                figures[random.Next(7), random.Next(4)] = -1;
            }

            var upload = new Upload(UploadId.New(start.AddSeconds(i)), directive.Id, directive.Tasks[0].Id, unit, UploadState.Processing, null, [], start.AddSeconds(i), null);
            await store.AddUploadAsync(upload, ct);
            uploads.Add((upload, new XlsxFixture().Sheet("S", XlsxFixture.Template(figures)).Build(), valid));
        }

        // Process in a random order, each twice, several at once.
        var work = uploads.Concat(uploads).OrderBy(_ => random.Next()).ToList();
        foreach (var batch in work.Chunk(4))
        {
            await Task.WhenAll(batch.Select(u => import.ImportAsync(u.Upload.BlobName, u.File, ct)));
        }

        var (figuresInForce, totals) = await store.ConsolidatedAsync(directive.Id, directive.Tasks[0].Id, ct);
        var expected = uploads.Where(u => u.Valid).GroupBy(u => u.Upload.UnitId).ToDictionary(g => g.Key, g => g.MaxBy(u => u.Upload.Id.Value, StringComparer.Ordinal).Upload.Id);

        Assert.Equal(expected.Count, figuresInForce.Count);
        Assert.All(figuresInForce, f => Assert.Equal(expected[f.UnitId], f.UploadId));
        Assert.True(Totals.Recompute(figuresInForce.Select(f => f.Values)).SameAs(totals), "incremental totals differ from a full recompute");
        Assert.Equal(expected.Count, totals.Reported);
    }
}
