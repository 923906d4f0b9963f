using Azure.Data.Tables;
using Azure.Storage.Blobs;
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

/// <summary>Consolidation against a real Azurite: incremental totals equal a full recompute, whatever the template, order, repetition or concurrency.</summary>
public sealed class ConsolidationTests(StorageFixture storage)
{
    public static TheoryData<string, int> Cases => new()
    {
        { "643", 1 },
        { "643", 2 },
        { "mau-a-15x3-dong-tong", 3 },
        { "mau-b-tieu-de-hai-dong", 4 },
        { "mau-c-danh-sach-cot-tong", 5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task After_any_sequence_of_uploads_re_uploads_and_rejections_processed_out_of_order_twice_and_in_parallel_the_totals_now_and_at_the_deadline_equal_a_full_recompute(string templateName, int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, directives, import, names, tables) = await StoresAsync(ct);
        var template = templateName == "643" ? ReportTemplate.Official643 : TemplateFixtures.Template(templateName);
        await new TableTemplateStore(tables, new BlobServiceClient(storage.ConnectionString), names).SaveAsync(template, TemplateFixtures.File(templateName == "643" ? "mau-a-15x3-dong-tong" : templateName), ct);
        var units = Enumerable.Range(0, 6).Select(i => UnitId.Parse($"u{i}").Value).ToList();
        var deadline = Deadline.EndOfDay(new DateOnly(2026, 2, 9));
        var spec = new StatisticsSpec(template.Id, template.SuggestedRules with { Bounds = [] }, Coverage.Branch) { CoveredBy = new Dictionary<UnitId, UnitId> { [units[5]] = units[0] } };
        var directive = new Directive(DirectiveId.New(), "1-CV/ĐU", new DateOnly(2026, 2, 5), "Đảng ủy", "Thống kê", [new DirectiveTask(TaskId.ForIndex(0), "Báo cáo", TaskKind.Statistics, deadline, units) { Statistics = spec }], DateTimeOffset.UnixEpoch);
        await directives.CreateAsync(directive, ct);
        var random = new Random(seed);
        var start = deadline.PassesAt.AddSeconds(-20); // half the files before the deadline, half after

        // Upload 40 files: random units, random figures, some invalid.
        var uploads = new List<(Upload Upload, byte[] File, bool Valid, int[,] Values)>();
        for (var i = 0; i < 40; i++)
        {
            var unit = units[random.Next(units.Count)];
            var values = RandomFigures(template, random);
            var valid = random.Next(4) > 0;
            var upload = new Upload(UploadId.New(start.AddSeconds(i)), directive.Id, directive.Tasks[0].Id, unit, UploadState.Processing, null, [], start.AddSeconds(i), null);
            await store.AddUploadAsync(upload, ct);
            uploads.Add((upload, Filled(template, values, valid ? null : (random.Next(template.RowCount), random.Next(template.ColumnCount))), valid, values));
        }

        // Process in a random order, each twice, several at once.
        var work = uploads.Concat(uploads).OrderBy(_ => random.Next()).ToList();
        foreach (var batch in work.Chunk(4))
        {
            await Task.WhenAll(batch.Select(u => import.ImportAsync(u.Upload.BlobName, u.File, ct)));
        }

        var consolidated = await store.ConsolidatedAsync(directive.Id, directive.Tasks[0].Id, ct);
        foreach (var (track, figures, totals, inTime) in new[]
        {
            ("now", consolidated.Current.Figures, consolidated.Current.Totals, (Func<Upload, bool>)(_ => true)),
            ("at the deadline", consolidated.AtDeadline.Figures, consolidated.AtDeadline.Totals, u => !deadline.HasPassed(u.ReceivedAt)),
        })
        {
            var expected = uploads.Where(u => u.Valid && inTime(u.Upload)).GroupBy(u => u.Upload.UnitId).ToDictionary(g => g.Key, g => g.MaxBy(u => u.Upload.Id.Value, StringComparer.Ordinal));
            Assert.Equal(expected.Count, figures.Count);
            Assert.All(figures, f => Assert.Equal(expected[f.UnitId].Upload.Id, f.UploadId));
            Assert.True(Totals.Recompute(figures.Where(f => f.Counted).Select(f => f.Values)).SameAs(totals), $"incremental totals {track} differ from a full recompute");
            Assert.Equal(expected.Keys.Count(u => u != units[5]), totals.Reported);
        }

        Assert.Contains(uploads, u => u.Valid && deadline.HasPassed(u.Upload.ReceivedAt)); // the seeds do test both tracks
        Assert.All(consolidated.Current.Figures.Where(f => f.UnitId == units[5]), f => Assert.False(f.Counted)); // under u0: shown, not added
    }

    private async Task<(TableStatisticsStore Store, TableDirectiveStore Directives, StatisticsImport Import, StorageNames Names, TableServiceClient Tables)> StoresAsync(CancellationToken ct)
    {
        var names = new StorageNames(StorageFixture.NewPrefix());
        var tables = new TableServiceClient(storage.ConnectionString);
        foreach (var table in new[] { TableStatisticsStore.UploadsTable, TableStatisticsStore.StatisticsTable, TableSubmissionStore.TableName, TableDirectiveStore.TableName, TableTemplateStore.TableName })
        {
            await tables.CreateTableIfNotExistsAsync(names.Table(table), ct);
        }

        await new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(names.Container(TableTemplateStore.Container)).CreateIfNotExistsAsync(cancellationToken: ct);
        var store = new TableStatisticsStore(tables, names);
        var directives = new TableDirectiveStore(tables, names);
        var templates = new ReportTemplates(new TableTemplateStore(tables, new BlobServiceClient(storage.ConnectionString), names));
        return (store, directives, new StatisticsImport(store, directives, new TableSubmissionStore(tables, names), templates, TimeProvider.System), names, tables);
    }

    /// <summary>Counts for every figure cell of <paramref name="template"/> (totals and cells marked "x" left as they are).</summary>
    private static int[,] RandomFigures(ReportTemplate template, Random random)
    {
        var values = new int[template.RowCount, template.ColumnCount];
        for (var r = 0; r < template.RowCount; r++)
        {
            for (var c = 0; c < template.ColumnCount; c++)
            {
                values[r, c] = template.KindOf(r, c, template.SuggestedRules) == CellKind.Figure ? random.Next(0, 50) : 0;
            }
        }

        return values;
    }

    /// <summary>The template's table laid out as the office's file has it, filled with <paramref name="values"/>; one cell negative when <paramref name="broken"/> is given.</summary>
    public static byte[] Filled(ReportTemplate template, int[,] values, (int Row, int Column)? broken = null)
    {
        var rows = new List<(int, object?[])>();
        var header = new object?[template.Columns[^1].SheetColumn];
        header[template.LabelColumn - 1] = template.LabelHeader;
        if (template.SttColumn > 0)
        {
            header[template.SttColumn - 1] = "STT";
        }

        var lower = new object?[header.Length];
        foreach (var column in template.Columns)
        {
            if (column.Group is null)
            {
                header[column.SheetColumn - 1] = column.Label;
            }
            else
            {
                header[column.SheetColumn - 1] = column.Group + "";
                lower[column.SheetColumn - 1] = column.Label;
            }
        }

        rows.Add((template.HeaderRow, header));
        if (template.HeaderRowCount == 2)
        {
            rows.Add((template.HeaderRow + 1, lower));
        }

        for (var r = 0; r < template.RowCount; r++)
        {
            var row = new object?[header.Length];
            row[template.LabelColumn - 1] = template.Rows[r].Label;
            for (var c = 0; c < template.ColumnCount; c++)
            {
                var kind = template.KindOf(r, c, template.SuggestedRules);
                row[template.Columns[c].SheetColumn - 1] = kind == CellKind.Figure ? (broken == (r, c) ? -1 : values[r, c]) : null;
            }

            if (broken is { } b && b.Row == r && template.KindOf(b.Row, b.Column, template.SuggestedRules) != CellKind.Figure)
            {
                row[template.LabelColumn - 1] = "Nội dung đã bị sửa khác hẳn mẫu";
            }

            rows.Add((template.Rows[r].SheetRow, row));
        }

        return new XlsxFixture().Sheet(template.SheetName, rows).Build();
    }
}
