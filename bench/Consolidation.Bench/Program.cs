// A province's last hour: N units' uploads (already received: upload rows and files in place) imported
// by ImportStatistics with P at once, as the host's maxDegreeOfParallelism and several instances would.
// Each worker has its own stores and StatisticsImport (no shared cache: as separate instances). Runs the
// same load three ways: one at a time (the floor of storage round trips), P at once on one totals row
// (the design before shards), P at once on the shards. Checks each run's totals against a full recompute.
// Usage: Consolidation.Bench <storage connection string> <template .xlsx> <filled .xlsx> <uploads> <parallel> <output.md>
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
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

var connection = args[0];
var templateFile = File.ReadAllBytes(args[1]);
var filled = File.ReadAllBytes(args[2]);
var count = int.Parse(args[3], CultureInfo.InvariantCulture);
var parallel = int.Parse(args[4], CultureInfo.InvariantCulture);
var output = args[5];
var template = TemplateReader.Read(templateFile).Value;
var expected = StatisticsParser.Parse(filled, template, template.SuggestedRules).Report?.Values ?? throw new InvalidOperationException("The filled file is not accepted.");

async Task<Run> RunAsync(string name, int workers, int shards)
{
    var names = new StorageNames("b" + Guid.NewGuid().ToString("N")[..10]);
    var tables = new TableServiceClient(connection);
    var blobs = new BlobServiceClient(connection);
    foreach (var table in new[] { TableStatisticsStore.UploadsTable, TableStatisticsStore.StatisticsTable, TableSubmissionStore.TableName, TableDirectiveStore.TableName, TableTemplateStore.TableName })
    {
        await tables.CreateTableIfNotExistsAsync(names.Table(table));
    }

    await blobs.GetBlobContainerClient(names.Container(TableTemplateStore.Container)).CreateIfNotExistsAsync();
    await new TableTemplateStore(tables, blobs, names).SaveAsync(template, templateFile, CancellationToken.None);
    var units = Enumerable.Range(0, count).Select(i => UnitId.Parse($"don-vi-{i:D4}").Value).ToList();
    var spec = new StatisticsSpec(template.Id, template.SuggestedRules, Coverage.Unit);
    var directive = new Directive(DirectiveId.New(), "1-CV/ĐU", new DateOnly(2026, 2, 5), "Tỉnh ủy", "Thống kê", [new DirectiveTask(TaskId.ForIndex(0), "Báo cáo", TaskKind.Statistics, Deadline.EndOfDay(new DateOnly(2099, 12, 31)), units) { Statistics = spec }], DateTimeOffset.UtcNow);
    await new TableDirectiveStore(tables, names).CreateAsync(directive, CancellationToken.None);
    var store = new TableStatisticsStore(tables, names);
    var now = DateTimeOffset.UtcNow;
    var uploads = new List<Upload>();
    foreach (var chunk in units.Chunk(50))
    {
        var made = chunk.Select((u, i) => new Upload(UploadId.New(now.AddMilliseconds(uploads.Count + i)), directive.Id, directive.Tasks[0].Id, u, UploadState.Processing, null, [], now, null)).ToList();
        await Task.WhenAll(made.Select(u => store.AddUploadAsync(u, CancellationToken.None)));
        uploads.AddRange(made);
    }

    var queue = new ConcurrentQueue<Upload>(uploads);
    var failed = 0;
    var conflicts = new ConcurrentBag<int>();
    var latencies = new ConcurrentBag<double>();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
    {
        // One instance's own clients, stores and caches.
        var ownTables = new TableServiceClient(connection);
        var ownStore = new TableStatisticsStore(ownTables, names);
        var import = new StatisticsImport(ownStore, new TableDirectiveStore(ownTables, names), new TableSubmissionStore(ownTables, names), new ReportTemplates(new TableTemplateStore(ownTables, new BlobServiceClient(connection), names)), TimeProvider.System) { Shards = shards };
        while (queue.TryDequeue(out var upload))
        {
            var one = Stopwatch.StartNew();
            try
            {
                var result = await import.ImportAsync(upload.BlobName, filled, CancellationToken.None);
                latencies.Add(one.Elapsed.TotalMilliseconds);
                conflicts.Add(result.State == UploadState.Accepted ? result.Conflicts : throw new InvalidOperationException($"{upload.Id}: {result.State}"));
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("The totals kept changing", StringComparison.Ordinal))
            {
                // The invocation failed after every attempt: the host would run it again (up to 5 times), as here.
                conflicts.Add(import.MaxAttempts);
                Interlocked.Increment(ref failed);
                queue.Enqueue(upload);
            }
        }
    }));
    clock.Stop();

    var consolidated = await store.ConsolidatedAsync(directive.Id, directive.Tasks[0].Id, CancellationToken.None);
    var recomputed = Totals.Recompute(consolidated.Current.Figures.Where(f => f.Counted).Select(f => f.Values));
    var scaled = new long[expected.GetLength(0), expected.GetLength(1)];
    for (var r = 0; r < scaled.GetLength(0); r++)
    {
        for (var c = 0; c < scaled.GetLength(1); c++)
        {
            scaled[r, c] = (long)expected[r, c] * count;
        }
    }

    var equal = recomputed.SameAs(consolidated.Current.Totals) && consolidated.Current.Totals.SameAs(new Totals(count, scaled)) && consolidated.AtDeadline.Totals.SameAs(new Totals(count, scaled));
    var sorted = latencies.Order().ToArray();
    var run = new Run(name, workers, shards, clock.Elapsed.TotalSeconds, count / clock.Elapsed.TotalSeconds, conflicts.Sum(), conflicts.Count(c => c > 0), conflicts.Max(), failed, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.95)], equal);
    Console.WriteLine(run);
    return run;
}

var runs = new List<Run>
{
    await RunAsync("one at a time (the floor: storage round trips alone)", 1, Consolidation.Shards),
    await RunAsync($"{parallel} at once, one totals row (before shards)", parallel, 1),
    await RunAsync($"{parallel} at once, {Consolidation.Shards} shards (this design)", parallel, Consolidation.Shards),
};

var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
var report = $"""
    # Consolidation under load: {count} uploads, {parallel} in parallel

    Measured {DateTime.UtcNow:yyyy-MM-dd} on this project's build machine ({Environment.ProcessorCount} cores, load average
    before the runs: {load}), against Azurite (in memory) on loopback, by `bench/statistics-consolidation.sh`.
    Each run: {count} units' uploads of template "{template.Title}" ({template.RowCount} rows × {template.ColumnCount} columns,
    the same filled file for each unit), their rows already stored as the upload route leaves them, imported by
    `StatisticsImport` (parse, record the outcome, put in force on both tracks, record the submission) with the
    given number of workers, each with its own clients, stores and caches, as separate instances would be.
    A conflict is a transaction refused because another upload changed the unit's shard first; it is read
    again after a short random wait (at most {StatisticsImport.MaxBackoff.TotalMilliseconds:0} ms). "totals = recompute" checks
    the stored totals, now and at the deadline, against the sum of every unit's figures in force and against
    {count} × the file's figures.

    | run | workers | totals rows | time | uploads/s | conflicts (retries) | imports that retried | most retries of one import | invocations failed (the host runs them again) | latency p50 / p95 of a successful import | totals = recompute |
    | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
    {string.Join("\n", runs.Select(r => $"| {r.Name} | {r.Workers} | {r.Shards} | {r.Seconds:0.0} s | {r.Throughput:0.0} | {r.Conflicts} | {r.Retried} | {r.MostRetries} | {r.Failed} | {r.P50:0} ms / {r.P95:0} ms | {(r.Equal ? "yes" : "NO")} |"))}

    Baseline: the first row (no contention) for throughput; the second (one totals row, as before this
    design) for conflicts. Speed-up of this design over one at a time: {runs[2].Throughput / runs[0].Throughput:0.00}×; conflicts
    {runs[2].Conflicts} against {runs[1].Conflicts} on one row.
    """;
File.WriteAllText(output, report.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
Console.WriteLine(report);
return runs.All(r => r.Equal) ? 0 : 1;

internal sealed record Run(string Name, int Workers, int Shards, double Seconds, double Throughput, int Conflicts, int Retried, int MostRetries, int Failed, double P50, double P95, bool Equal);
