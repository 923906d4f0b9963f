using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Units;

/// <summary>
/// The office's unit registry: <c>PUT /api/units/{unitId}</c> (function PutUnit),
/// <c>GET /api/units</c> (ListUnits), <c>POST /api/units/import</c> (ImportUnits: a CSV unit list;
/// a dry run unless <c>?apply=true</c>). Writing is the office's (văn phòng); the standing committee
/// reads the list. Every change is in the unit's history and the audit trail, with a replaced unit's
/// fields before and after. The office's page is OfficeUnitPages (<c>/office/don-vi</c>).
/// </summary>
public static class UnitsFeature
{
    public const long MaxUnitBody = 16 * 1024;
    public const long MaxImportBody = 5 * 1024 * 1024;

    public static IServiceCollection AddUnits(this IServiceCollection services) =>
        services.AddTable(TableUnitStore.TableName)
            .AddTable(TableUnitHistory.TableName)
            .AddSingleton<IUnitStore, TableUnitStore>()
            .AddSingleton<IUnitHistory, TableUnitHistory>()
            .AddSingleton<UnitRegistry>()
            .AddSingleton<UnitChanges>();

    public static IEndpointRouteBuilder MapUnits(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/api/units").WithTags("Units");
        office.MapPut("/{unitId}", PutAsync).WithName("PutUnit").RequireOfficeRole(OfficeRole.VanPhong).WithBody<PutUnitRequest>(MaxUnitBody)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        office.MapGet("/", ListAsync).WithName("ListUnits").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        office.MapPost("/import", ImportAsync).WithName("ImportUnits").RequireOfficeRole(OfficeRole.VanPhong).WithBody<ImportUnitsRequest>(MaxImportBody)
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Created<UnitResponse>, Ok<UnitResponse>, ApiProblem>> PutAsync(
        string unitId, Body<PutUnitRequest> body, ClaimsPrincipal user, UnitRegistry registry, UnitChanges changes, CancellationToken cancellationToken)
    {
        var id = UnitId.Parse(unitId);
        if (!id.IsSuccess)
        {
            return Problems.For(id.Error!);
        }

        var request = body.Value;
        var unit = Unit.Create(id.Value, request.ToInput());
        if (!unit.IsSuccess)
        {
            return Problems.For(unit.Error!);
        }

        var put = await registry.PutAsync(unit.Value, cancellationToken);
        if (!put.IsSuccess)
        {
            return Problems.For(put.Error!);
        }

        await changes.RecordAsync(user, put.Value, cancellationToken);
        var response = UnitResponse.Of(put.Value.Current);
        return put.Value.Put == UnitPut.Created ? TypedResults.Created($"/api/units/{unit.Value.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<Ok<List<UnitListItem>>> ListAsync(UnitRegistry registry, CancellationToken cancellationToken)
    {
        var tree = await registry.TreeAsync(cancellationToken);
        return TypedResults.Ok(tree.All
            .OrderBy(u => u.Level ?? (UnitLevel)int.MaxValue).ThenBy(u => u.Kind).ThenBy(u => u.Name, VietnameseCollation.Instance)
            .Select(u => new UnitListItem(UnitResponse.Of(u), tree.ChainUpward(u.Id).IsBroken))
            .ToList());
    }

    private static async Task<Results<Ok<UnitImportResponse>, UnprocessableEntity<UnitImportResponse>, ApiProblem>> ImportAsync(
        Body<ImportUnitsRequest> body, bool? apply, ClaimsPrincipal user, UnitRegistry registry, UnitChanges changes, CancellationToken cancellationToken)
    {
        var applying = apply == true;
        var plan = await registry.ImportAsync(body.Value.Csv, applying, cancellationToken);
        if (!plan.IsSuccess)
        {
            return Problems.For(plan.Error!);
        }

        if (applying && plan.Value.CanApply)
        {
            await changes.RecordImportAsync(user, plan.Value, cancellationToken);
        }

        var response = UnitImportResponse.Of(plan.Value, applying && plan.Value.CanApply);
        return applying && !plan.Value.CanApply ? TypedResults.UnprocessableEntity(response) : TypedResults.Ok(response);
    }
}
