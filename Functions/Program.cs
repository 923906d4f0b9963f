using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Functions.Features.Accounts;
using ServerlessWorkflow.Functions.Features.Assignments;
using ServerlessWorkflow.Functions.Features.AuditTrail;
using ServerlessWorkflow.Functions.Features.Calendar;
using ServerlessWorkflow.Functions.Features.CheckDeadlines;
using ServerlessWorkflow.Functions.Features.Closing;
using ServerlessWorkflow.Functions.Features.Directives;
using ServerlessWorkflow.Functions.Features.ErrorReports;
using ServerlessWorkflow.Functions.Features.Health;
using ServerlessWorkflow.Functions.Features.OfficeLogin;
using ServerlessWorkflow.Functions.Features.OpenApi;
using ServerlessWorkflow.Functions.Features.Progress;
using ServerlessWorkflow.Functions.Features.Reports;
using ServerlessWorkflow.Functions.Features.Statistics;
using ServerlessWorkflow.Functions.Features.Submissions;
using ServerlessWorkflow.Functions.Features.UnitRecords;
using ServerlessWorkflow.Functions.Features.Units;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.LocalTriggers;
using ServerlessWorkflow.Functions.Hosting.Telemetry;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Storage;

// The slim builder: no HTTPS, HTTP/3 or hosting-startup scanning (the host calls the handler over loopback HTTP), so a cold start is shorter.
var builder = WebApplication.CreateSlimBuilder(args);

// Platform: custom-handler hosting (port, wire format, problems, pages, office accounts and roles,
// CSRF, rate limits), telemetry, storage, the audit trail, email, and the development stand-in for
// the host's timer and blob triggers.
builder.AddCustomHandlerHosting();
builder.AddTelemetry();
builder.AddStorage();
builder.Services.AddAuditTrail();
builder.AddEmail();
builder.AddLocalTriggers();

// Features, one folder each under Features/, beside their function.json files.
builder.Services
    .AddHealthFeature()
    .AddOpenApiFeature()
    .AddUnits()
    .AddCalendar()
    .AddDirectives()
    .AddDirectiveLifecycle()
    .AddSubmissions()
    .AddProgress()
    .AddErrorReports()
    .AddCheckDeadlines()
    .AddStatistics()
    .AddReports()
    .AddOfficeLogin()
    .AddAccounts();

var app = builder.Build();
app.UseCustomHandlerHosting();

// The JSON API (and, where people use the same address, its page twin).
app.MapHealth();
app.MapOpenApiDocument();
app.MapUnits();
app.MapCalendar();
app.MapDirectives();
app.MapSubmissions();
app.MapErrorReports();
app.MapCheckDeadlines();
app.MapProgress();
app.MapEscalations();
app.MapStatistics();

// The office's pages (each person signs in with their own account; every page and endpoint
// declares the roles it needs; every form carries its antiforgery token).
app.MapOfficeLogin();
app.MapMyAccount();
app.MapAccounts();
app.MapDirectivePages();
app.MapBoardExport();
app.MapAssignmentPages();
app.MapUnitRecordPages();
app.MapReports();
app.MapStatisticsPage();
app.MapErrorReportQueue();
app.MapMemberData();
app.MapOutboxPage();
app.MapCalendarPages();
app.MapUnitPages();
app.MapAuditTrail();
app.MapUnitLadderPages();
app.MapUnitLinks();
app.MapDirectiveLifecycle();

app.Run();

/// <summary>The handler's entry point; public so tests can host it.</summary>
public partial class Program;
