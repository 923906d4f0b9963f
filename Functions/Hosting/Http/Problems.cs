using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Functions.Hosting.Http;

/// <summary>
/// The one place where expected outcomes become HTTP: validation → 400 with every field's
/// problem (<c>errors</c> by field, and <c>fields</c> with machine codes), not found → 404,
/// conflict → 409; body refusals keep their status (413, 415, 400). All <c>application/problem+json</c>.
/// </summary>
public static class Problems
{
    private const string TypeBase = "https://serverless-workflow.invalid/problems/";

    public static IResult For(Error error) => error.Kind switch
    {
        ErrorKind.Validation => TypedResults.ValidationProblem(
            error.Fields.GroupBy(f => f.Field).ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray()),
            detail: null,
            title: error.Message,
            type: TypeBase + "validation",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = error.Code,
                ["fields"] = error.Fields.Select(f => new { field = f.Field, code = f.Code, message = f.Message }).ToList(),
            }),
        ErrorKind.NotFound => Problem(StatusCodes.Status404NotFound, error.Code, error.Message),
        ErrorKind.Conflict => Problem(StatusCodes.Status409Conflict, error.Code, error.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(error)),
    };

    public static IResult For(SubmittedForm.ReadResult refused) =>
        Problem(refused.Status, refused.Status switch
        {
            StatusCodes.Status413PayloadTooLarge => "too-large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
            _ => "unreadable-body",
        }, refused.Problem ?? "Không đọc được nội dung gửi lên.");

    public static IResult Problem(int status, string code, string title) =>
        TypedResults.Problem(title: title, statusCode: status, type: TypeBase + code, extensions: new Dictionary<string, object?> { ["code"] = code });
}
