namespace ServerlessWorkflow.Functions.Shared.Http;

/// <summary>303 See Other: after a form post the browser fetches <c>url</c> with GET (post/redirect/get), so a reload never posts twice.</summary>
public sealed class SeeOther(string url) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status303SeeOther;

    public string Url => url;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = url;
        return Task.CompletedTask;
    }
}
