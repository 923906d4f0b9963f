using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Http;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Units;

/// <summary>
/// The office's unit registry: <c>PUT /api/units/{unitId}</c> (function PutUnit),
/// <c>GET /api/units</c> (ListUnits), <c>POST /api/units/import</c> (ImportUnits: a CSV unit list;
/// a dry run unless <c>?apply=true</c>).
/// </summary>
public static class UnitsFeature
{
    public const long MaxUnitBody = 16 * 1024;
    public const long MaxImportBody = 5 * 1024 * 1024;

    public static IServiceCollection AddUnits(this IServiceCollection services) =>
        services.AddTable(TableUnitStore.TableName)
            .AddSingleton<IUnitStore, TableUnitStore>()
            .AddSingleton<UnitRegistry>();

    public static IEndpointRouteBuilder MapUnits(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/api/units").RequireAuthorization(OfficeAuthentication.Policy).WithTags("Units");
        office.MapPut("/{unitId}", PutAsync).WithName("PutUnit").DisableAntiforgery();
        office.MapGet("/", ListAsync).WithName("ListUnits");
        office.MapPost("/import", ImportAsync).WithName("ImportUnits").DisableAntiforgery();
        return app;
    }

    public static object ToJson(Unit unit) => new
    {
        id = unit.Id.Value,
        name = unit.Name,
        level = (int)unit.Level,
        levelName = UnitLevels.Name(unit.Level),
        parentId = unit.ParentId?.Value,
        email = unit.Email,
    };

    private static async Task<IResult> PutAsync(string unitId, HttpRequest request, UnitRegistry registry, CancellationToken cancellationToken)
    {
        var id = UnitId.Parse(unitId);
        if (!id.IsSuccess)
        {
            return Problems.For(id.Error!);
        }

        var read = await SubmittedForm.ReadAsync(request, MaxUnitBody, cancellationToken);
        if (!read.Succeeded)
        {
            return Problems.For(read);
        }

        var form = read.Form!;
        var unit = Unit.Create(id.Value, form["name"], form["level"], form["parentId"], form["email"]);
        if (!unit.IsSuccess)
        {
            return Problems.For(unit.Error!);
        }

        var put = await registry.PutAsync(unit.Value, cancellationToken);
        return put.Match(
            outcome => outcome == UnitPut.Created
                ? TypedResults.Created($"/api/units/{unit.Value.Id}", ToJson(unit.Value))
                : (IResult)TypedResults.Ok(ToJson(unit.Value)),
            Problems.For);
    }

    private static async Task<IResult> ListAsync(UnitRegistry registry, CancellationToken cancellationToken)
    {
        var tree = await registry.TreeAsync(cancellationToken);
        return TypedResults.Ok(tree.All.OrderBy(u => u.Level).ThenBy(u => u.Name, StringComparer.Create(Domain.Time.VietnamTime.Culture, false)).Select(u => new
        {
            unit = ToJson(u),
            chainBroken = tree.ChainUpward(u.Id).IsBroken,
        }));
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, UnitRegistry registry, bool? apply, CancellationToken cancellationToken)
    {
        string csv;
        if (request.HasFormContentType)
        {
            var read = await SubmittedForm.ReadAsync(request, MaxImportBody, cancellationToken);
            if (!read.Succeeded)
            {
                return Problems.For(read);
            }

            csv = read.Form!.Files.Count > 0 ? System.Text.Encoding.UTF8.GetString(read.Form.Files[0].Content.Span) : read.Form["csv"] ?? string.Empty;
        }
        else if (request.ContentType?.StartsWith("text/", StringComparison.OrdinalIgnoreCase) == true)
        {
            if (request.ContentLength > MaxImportBody)
            {
                return Problems.Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "Tệp danh sách đơn vị quá lớn (tối đa 5 MB).");
            }

            using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
            var buffer = new char[MaxImportBody + 1];
            var length = await reader.ReadBlockAsync(buffer, cancellationToken);
            if (length > MaxImportBody)
            {
                return Problems.Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "Tệp danh sách đơn vị quá lớn (tối đa 5 MB).");
            }

            csv = new string(buffer, 0, length);
        }
        else
        {
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Gửi danh sách dạng text/csv hoặc tải tệp lên (multipart).");
        }

        var plan = await registry.ImportAsync(csv, apply == true, cancellationToken);
        if (!plan.IsSuccess)
        {
            return Problems.For(plan.Error!);
        }

        var body = new
        {
            applied = apply == true && plan.Value.CanApply,
            canApply = plan.Value.CanApply,
            created = plan.Value.Count(ImportAction.Create),
            updated = plan.Value.Count(ImportAction.Update),
            unchanged = plan.Value.Count(ImportAction.Unchanged),
            invalid = plan.Value.Count(ImportAction.Invalid),
            lines = plan.Value.Lines.Select(l => new
            {
                line = l.Line,
                unitId = l.UnitId,
                action = l.Action.ToString().ToLowerInvariant(),
                errors = l.Errors.Select(e => new { field = e.Field, code = e.Code, message = e.Message }),
            }),
        };
        return apply == true && !plan.Value.CanApply
            ? TypedResults.UnprocessableEntity(body)
            : TypedResults.Ok(body);
    }
}
