using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Shared.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The audit trail every feature appends to (<see cref="IAuditTrail"/>) and the reader of the trail's page and verification.</summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services) =>
        services.AddTable(TableAuditTrail.TableName)
            .AddSingleton<TableAuditTrail>()
            .AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<TableAuditTrail>())
            .AddSingleton<AuditReader>()
            .AddSingleton<Domain.Directives.IRegistrationAudits, RegistrationAudits>()
            .AddSingleton<OfficeAudit>();
}
