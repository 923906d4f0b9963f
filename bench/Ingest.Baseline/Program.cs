using Azure.Data.Tables;

// A bare minimal API doing what the handler's submission endpoint must at least do: read a small
// JSON body and insert one row into Table Storage. No validation, no link, no history.
// Settings: AzureWebJobsStorage (connection string), Baseline:Table (table name), --urls.
var builder = WebApplication.CreateBuilder(args);
var connection = builder.Configuration["AzureWebJobsStorage"] ?? "UseDevelopmentStorage=true";
var tableName = builder.Configuration["Baseline:Table"] ?? "benchingest";
var table = new TableClient(connection, tableName);
await table.CreateIfNotExistsAsync();

var app = builder.Build();

app.MapPost("/ingest", async (IngestRequest body, CancellationToken cancellationToken) =>
{
    if (string.IsNullOrWhiteSpace(body.Unit))
    {
        return Results.BadRequest();
    }

    var row = Guid.NewGuid().ToString("N");
    await table.AddEntityAsync(
        new TableEntity(body.Unit, row)
        {
            ["Status"] = body.Status ?? string.Empty,
            ["Note"] = body.Note ?? string.Empty,
            ["At"] = DateTimeOffset.UtcNow,
        },
        cancellationToken);
    return Results.Created($"/ingest/{body.Unit}/{row}", new { id = row });
});

app.MapGet("/health", async (CancellationToken cancellationToken) =>
{
    await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
    {
        break;
    }

    return Results.Ok(new { status = "ok" });
});

await app.RunAsync();

/// <summary>The body of <c>POST /ingest</c>.</summary>
internal sealed record IngestRequest(string? Unit, string? Status, string? Note);
