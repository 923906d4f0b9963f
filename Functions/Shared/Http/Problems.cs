using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Functions.Shared.Http;

/// <summary>
/// An expected failure as an API answers it: <c>application/problem+json</c> with a Vietnamese
/// <c>title</c>, a stable <c>code</c> (also the last segment of <c>type</c>) and, for validation,
/// every field's problem (<c>errors</c> by field, <c>fields</c> with machine codes).
/// </summary>
public sealed class ApiProblem : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IValueHttpResult<ProblemDetails>, IValueHttpResult
{
    internal ApiProblem(ProblemDetails details) => Value = details;

    public ProblemDetails Value { get; }

    object? IValueHttpResult.Value => Value;

    public int? StatusCode => Value.Status;

    public string ContentType => "application/problem+json";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        httpContext.Response.StatusCode = Value.Status ?? StatusCodes.Status500InternalServerError;
        return httpContext.Response.WriteAsJsonAsync(Value, options.GetTypeInfo(Value.GetType()), ContentType, httpContext.RequestAborted);
    }
}

/// <summary>
/// The one place where expected outcomes become HTTP: validation → 400 with every field's problem,
/// not found → 404, conflict → 409, gone → 410, a refused body → its own status (400, 413, 415).
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://serverless-workflow.invalid/problems/";

    public static ApiProblem For(Error error) => error.Kind switch
    {
        ErrorKind.Validation => Validation(error.Code, error.Message, error.Fields),
        ErrorKind.NotFound => Problem(StatusCodes.Status404NotFound, error.Code, error.Message),
        ErrorKind.Conflict => Problem(StatusCodes.Status409Conflict, error.Code, error.Message),
        ErrorKind.Gone => Problem(StatusCodes.Status410Gone, error.Code, error.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(error)),
    };

    public static ApiProblem For(BodyRefusal refusal) =>
        refusal.Field is { } field
            ? Validation("validation", "Dữ liệu gửi lên chưa hợp lệ.", [new FieldError(field, refusal.Code, refusal.Message)])
            : Problem(refusal.Status, refusal.Code, refusal.Message);

    public static ApiProblem Problem(int status, string code, string title) =>
        new(WithCode(new ProblemDetails { Status = status, Title = title }, code));

    /// <summary>Gives a problem its <c>code</c> and the <c>type</c> made from it.</summary>
    public static ProblemDetails WithCode(ProblemDetails details, string code)
    {
        details.Type = TypeBase + code;
        details.Extensions["code"] = code;
        return details;
    }

    private static ApiProblem Validation(string code, string title, IReadOnlyList<FieldError> fields)
    {
        var details = new HttpValidationProblemDetails(fields.GroupBy(f => f.Field).ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = title,
        };
        details.Extensions["fields"] = fields.Select(f => new FieldProblem(f.Field, f.Code, f.Message)).ToList();
        return new(WithCode(details, code));
    }
}

/// <summary>One field's problem in a validation problem's <c>fields</c>.</summary>
public sealed record FieldProblem(string Field, string Code, string Message);
