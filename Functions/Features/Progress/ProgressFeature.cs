using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Progress;

/// <summary>
/// The office's read models (per-directive boards and counts, the units' records by month), kept in
/// step with every submission that changes an assignment's mark (<see cref="ProjectedSubmissionStore"/>),
/// built at registration, and made good by the timer <c>RepairProgress</c>. The office's pages read
/// them through <see cref="OfficeDesk"/>.
/// </summary>
public static class ProgressFeature
{
    public static IServiceCollection AddProgress(this IServiceCollection services) =>
        services.AddTable(TableProgressStore.TableName)
            .AddSingleton<IProgressStore, TableProgressStore>()
            .AddSingleton<ProgressProjector>()
            .AddSingleton<Domain.Calendar.ICalendarChangeListener>(sp => sp.GetRequiredService<ProgressProjector>())
            .AddSingleton<ISubmissionStore, ProjectedSubmissionStore>()
            .AddSingleton<OfficeDesk>()
            .AddScoped<RepairProgressFunction>();

    public static IEndpointRouteBuilder MapProgress(this IEndpointRouteBuilder app)
    {
        app.MapTimerTrigger<RepairProgressFunction>(RepairProgressFunction.FunctionName, RepairProgressFunction.BindingName);
        return app;
    }
}
