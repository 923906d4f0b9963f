using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Functions.Features.CheckDeadlines;
using ServerlessWorkflow.Functions.Features.Directives;
using ServerlessWorkflow.Functions.Features.ErrorReports;
using ServerlessWorkflow.Functions.Features.Health;
using ServerlessWorkflow.Functions.Features.OfficeLogin;
using ServerlessWorkflow.Functions.Features.OpenApi;
using ServerlessWorkflow.Functions.Features.Statistics;
using ServerlessWorkflow.Functions.Features.Submissions;
using ServerlessWorkflow.Functions.Features.Units;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.LocalTriggers;
using ServerlessWorkflow.Functions.Hosting.Telemetry;
using ServerlessWorkflow.Functions.Storage;

// The slim builder: no HTTPS, HTTP/3 or hosting-startup scanning (the host calls the handler over loopback HTTP), so a cold start is shorter.
var builder = WebApplication.CreateSlimBuilder(args);

// Platform: custom-handler hosting (port, wire format, problems, pages, office authentication),
// telemetry, storage, email, and the development stand-in for the host's timer and blob triggers.
builder.AddCustomHandlerHosting();
builder.AddTelemetry();
builder.AddStorage();
builder.AddEmail();
builder.AddLocalTriggers();

// Features, one folder each under Features/, beside their function.json files.
builder.Services
    .AddHealthFeature()
    .AddOpenApiFeature()
    .AddUnits()
    .AddDirectives()
    .AddSubmissions()
    .AddErrorReports()
    .AddCheckDeadlines()
    .AddStatistics()
    .AddOfficeLogin();

var app = builder.Build();
app.UseCustomHandlerHosting();

// The JSON API (and, where people use the same address, its page twin).
app.MapHealth();
app.MapOpenApiDocument();
app.MapUnits();
app.MapDirectives();
app.MapSubmissions();
app.MapErrorReports();
app.MapCheckDeadlines();
app.MapEscalations();
app.MapStatistics();

// The office's pages (sign in once, then a cookie; every form carries its antiforgery token).
app.MapOfficeLogin();
app.MapDirectivePages();
app.MapStatisticsPage();
app.MapErrorReportQueue();
app.MapOutboxPage();
app.MapUnitLadderPages();

app.Run();

/// <summary>The handler's entry point; public so tests can host it.</summary>
public partial class Program;
