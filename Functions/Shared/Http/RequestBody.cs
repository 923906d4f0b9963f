using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Shared.Http;

/// <summary>
/// A request record: the fields a post carries, read as its Content-Type says — JSON (with
/// <see cref="WireFormat.Requests"/>), an HTML form (urlencoded or multipart, through
/// <see cref="FromForm"/>) or plain text (through <see cref="FromText"/>). A record takes JSON
/// unless it says otherwise, and forms or text only if it says so. Reading is all it does:
/// what the fields must be is decided once, by the Domain rule the endpoint calls.
/// </summary>
public interface IRequestBody<TSelf>
    where TSelf : class, IRequestBody<TSelf>
{
    static virtual bool ReadsJson => true;

    static virtual bool ReadsForm => false;

    static virtual bool ReadsText => false;

    /// <summary>The record from the fields and files of a form; called only when <see cref="ReadsForm"/>.</summary>
    static virtual TSelf FromForm(IFormCollection form) => throw new NotSupportedException($"{typeof(TSelf).Name} is not read from forms.");

    /// <summary>The record from a text body (text/csv, text/plain); called only when <see cref="ReadsText"/>.</summary>
    static virtual TSelf FromText(string text) => throw new NotSupportedException($"{typeof(TSelf).Name} is not read from text.");
}

/// <summary>Why a body could not be read: its status (400, 413, 415), a stable code, a Vietnamese reason, and the field when one value was of the wrong kind.</summary>
public sealed record BodyRefusal(int Status, string Code, string Message, string? Field = null)
{
    /// <summary>The refusal as a page shows it: under <paramref name="field"/> when given, else as the error itself.</summary>
    public Error AsError(string? field = null) =>
        (field ?? Field) is { } at ? Error.Validation(at, Code, Message) : new Error(ErrorKind.Validation, Code, Message, []);
}

/// <summary>A body that was read, or why it was not; what every <see cref="Body{T}"/> is to the refusal filter.</summary>
public interface IReadBody
{
    BodyRefusal? Refusal { get; }
}

/// <summary>
/// An endpoint's request body, bound from the request before the handler runs, within the
/// endpoint's size limit (<see cref="RequestBodyLimit"/>, declared by <see cref="RequestBodyConventions.WithBody{T}"/>). API endpoints never
/// see a refused body (the refusal is answered as problem+json); page endpoints look at
/// <see cref="Refusal"/> and show it on the page.
/// </summary>
public sealed class Body<T> : IReadBody, IBindableFromHttpContext<Body<T>>
    where T : class, IRequestBody<T>
{
    private readonly T? _value;

    private Body(T? value, BodyRefusal? refusal)
    {
        _value = value;
        Refusal = refusal;
    }

    /// <summary>The record; only when the body was read.</summary>
    public T Value => _value ?? throw new InvalidOperationException($"The body was refused: {Refusal?.Code}.");

    public BodyRefusal? Refusal { get; }

    public static async ValueTask<Body<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>()?.MaxBytes;
        if (limit is { } max)
        {
            if (request.ContentLength > max)
            {
                return Refused(BodyRefusals.TooLarge(max));
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = max;
            }
        }

        try
        {
            if (T.ReadsJson && request.HasJsonContentType())
            {
                var value = await JsonSerializer.DeserializeAsync<T>(request.Body, WireFormat.Requests, cancellationToken);
                return value is null ? Refused(BodyRefusals.NotAnObject) : new Body<T>(value, null);
            }

            if (T.ReadsForm && request.HasFormContentType)
            {
                return new Body<T>(T.FromForm(await request.ReadFormAsync(cancellationToken)), null);
            }

            if (T.ReadsText && request.ContentType?.StartsWith("text/", StringComparison.OrdinalIgnoreCase) == true)
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                return new Body<T>(T.FromText(await reader.ReadToEndAsync(cancellationToken)), null);
            }

            return Refused(BodyRefusals.UnsupportedMediaType(T.ReadsJson, T.ReadsForm, T.ReadsText));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refused(BodyRefusals.TooLarge(limit));
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            // The form reader's own limits (multipart length, value length or count).
            return Refused(BodyRefusals.TooLarge(limit));
        }
        catch (JsonException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Refused(BodyRefusals.Json(ex.Path));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return Refused(BodyRefusals.Unreadable);
        }
    }

    private static Body<T> Refused(BodyRefusal refusal) => new(null, refusal);
}

/// <summary>The refusals of a body, worded once.</summary>
public static class BodyRefusals
{
    public static readonly BodyRefusal Unreadable = new(StatusCodes.Status400BadRequest, "unreadable-body", "Không đọc được nội dung gửi lên.");

    public static readonly BodyRefusal NotAnObject = new(StatusCodes.Status400BadRequest, "unreadable-body", "Nội dung JSON phải là một đối tượng.");

    public static BodyRefusal TooLarge(long? maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "too-large", maxBytes is { } max ? $"Nội dung gửi lên vượt quá giới hạn {Size(max)}." : "Nội dung gửi lên vượt quá giới hạn cho phép.");

    /// <summary>Malformed JSON, or a value of the wrong kind at <paramref name="path"/> (<c>$.tasks[0].units</c>).</summary>
    public static BodyRefusal Json(string? path) =>
        path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal)
            ? new(StatusCodes.Status400BadRequest, "invalid-type", "Giá trị không đúng kiểu dữ liệu.", p[2..])
            : new(StatusCodes.Status400BadRequest, "unreadable-body", "Nội dung JSON không hợp lệ.");

    public static BodyRefusal UnsupportedMediaType(bool json, bool form, bool text) =>
        new(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", (json, form, text) switch
        {
            (true, false, false) => "Chỉ nhận nội dung JSON (application/json).",
            (true, true, _) => "Chỉ nhận biểu mẫu HTML (urlencoded hoặc multipart) hoặc JSON.",
            (false, true, false) => "Chỉ nhận biểu mẫu HTML (urlencoded hoặc multipart).",
            _ => "Chỉ nhận văn bản (text/csv) hoặc tệp tải lên (multipart).",
        });

    /// <summary>A size as people write it: "1 MB", "16 KB".</summary>
    public static string Size(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MB" : $"{bytes / 1024} KB";
}
