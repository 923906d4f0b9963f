using ServerlessWorkflow.Functions.Features.CheckDeadlines;
using ServerlessWorkflow.Functions.Features.Health;
using ServerlessWorkflow.Functions.Features.ImportStatistics;
using ServerlessWorkflow.Functions.Features.OpenApi;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.LocalTriggers;
using ServerlessWorkflow.Functions.Hosting.Telemetry;
using ServerlessWorkflow.Functions.Storage;

var builder = WebApplication.CreateBuilder(args);

// Platform: custom-handler hosting, telemetry, storage, and the development stand-in for the host's triggers.
builder.AddCustomHandlerHosting();
builder.AddTelemetry();
builder.AddStorage();
builder.AddLocalTriggers();

// Features, one per folder under Features/ (each beside its function.json files).
builder.Services
    .AddHealthFeature()
    .AddOpenApiFeature()
    .AddCheckDeadlines()
    .AddImportStatistics();

var app = builder.Build();
app.UseCustomHandlerHosting();

app.MapHealth();
app.MapOpenApiDocument();
app.MapCheckDeadlines();
app.MapImportStatistics();

app.Run();

/// <summary>The handler's entry point; public so tests can host it.</summary>
public partial class Program;
