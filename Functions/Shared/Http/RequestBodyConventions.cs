
namespace ServerlessWorkflow.Functions.Shared.Http;

/// <summary>
/// How an endpoint declares its body: the record it reads, the most it takes, and the content
/// types, for the OpenAPI document. The binder enforces the limit (<see cref="RequestBodyLimit"/>).
/// </summary>
public static class RequestBodyConventions
{
    /// <summary>An API endpoint's body: a refused body is answered at once as problem+json and the handler never runs.</summary>
    public static RouteHandlerBuilder WithBody<T>(this RouteHandlerBuilder builder, long maxBytes)
        where T : class, IRequestBody<T> =>
        builder.WithBodyLimits<T>(maxBytes, formsOnly: false).AddEndpointFilter(async (context, next) =>
        {
            foreach (var argument in context.Arguments)
            {
                if (argument is IReadBody { Refusal: { } refusal })
                {
                    return Problems.For(refusal);
                }
            }

            return await next(context);
        });

    /// <summary>A page's form (urlencoded or multipart only): the handler gets a refused body too, to show the refusal on the page it came from.</summary>
    public static RouteHandlerBuilder WithFormBody<T>(this RouteHandlerBuilder builder, long maxBytes)
        where T : class, IRequestBody<T> =>
        T.ReadsForm ? builder.WithBodyLimits<T>(maxBytes, formsOnly: true) : throw new InvalidOperationException($"{typeof(T).Name} is not read from forms.");

    private static RouteHandlerBuilder WithBodyLimits<T>(this RouteHandlerBuilder builder, long maxBytes, bool formsOnly)
        where T : class, IRequestBody<T>
    {
        var contentTypes = new List<string>();
        if (T.ReadsJson && !formsOnly)
        {
            contentTypes.Add("application/json");
        }

        if (T.ReadsForm)
        {
            contentTypes.AddRange(["multipart/form-data", "application/x-www-form-urlencoded"]);
        }

        if (T.ReadsText && !formsOnly)
        {
            contentTypes.Add("text/csv");
        }

        return builder
            .WithMetadata(new RequestBodyLimit(maxBytes))
            .WithFormOptions(
                multipartBodyLengthLimit: maxBytes,
                valueLengthLimit: (int)Math.Min(maxBytes, int.MaxValue),
                keyLengthLimit: 256,
                valueCountLimit: 1024)
            .Accepts<T>(contentTypes[0], [.. contentTypes.Skip(1)]);
    }

}

/// <summary>
/// The most an endpoint's body may hold. A body that says it is larger (Content-Length) is refused
/// before a byte is read, and Kestrel still drains it, so the client reads the 413 instead of a
/// reset connection; a body without a length is cut off at the limit while it is read.
/// (Not <c>IRequestSizeLimitMetadata</c>: routing would apply that to Kestrel, which then resets
/// the connection of an oversized upload before the client has read the answer.)
/// </summary>
public sealed record RequestBodyLimit(long MaxBytes);
