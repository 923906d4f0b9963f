using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace ServerlessWorkflow.Functions.Hosting.Http;

/// <summary>A file that came with a multipart post, held in memory within the post's size limit.</summary>
public sealed record SubmittedFile(string FieldName, string FileName, string ContentType, ReadOnlyMemory<byte> Content);

/// <summary>
/// The fields of a post, whatever it was sent as: an HTML form (urlencoded or multipart) or a
/// JSON object. Everything downstream validates one shape, so the three content types cannot
/// drift apart. JSON values that are not strings (numbers, booleans) keep their JSON text;
/// nested objects and arrays are kept as JSON text for the caller to parse.
/// </summary>
public sealed class SubmittedForm
{
    private readonly Dictionary<string, string> _fields;

    private SubmittedForm(Dictionary<string, string> fields, IReadOnlyList<SubmittedFile> files, bool isJson)
    {
        _fields = fields;
        Files = files;
        IsJson = isJson;
    }

    public bool IsJson { get; }

    public IReadOnlyDictionary<string, string> Fields => _fields;

    public IReadOnlyList<SubmittedFile> Files { get; }

    public string? this[string name] => _fields.TryGetValue(name, out var value) ? value : null;

    /// <summary>The outcome of reading a body: the form, or why it cannot be read (status and a Vietnamese reason).</summary>
    public sealed record ReadResult(SubmittedForm? Form, int Status, string? Problem)
    {
        public bool Succeeded => Form is not null;
    }

    /// <summary>
    /// Reads the request body: at most <paramref name="maxBytes"/> (larger answers 413), as
    /// urlencoded, multipart or JSON (other types answer 415).
    /// </summary>
    public static async Task<ReadResult> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxBytes, ValueLengthLimit = (int)Math.Min(maxBytes, int.MaxValue), KeyLengthLimit = 256, ValueCountLimit = 256 }, cancellationToken);
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in form)
                {
                    fields[key] = value.ToString();
                }

                var files = new List<SubmittedFile>();
                foreach (var file in form.Files)
                {
                    using var buffer = new MemoryStream((int)Math.Min(file.Length, maxBytes));
                    await file.CopyToAsync(buffer, cancellationToken);
                    files.Add(new SubmittedFile(file.Name, file.FileName, file.ContentType ?? "application/octet-stream", buffer.ToArray()));
                }

                return new ReadResult(new SubmittedForm(fields, files, isJson: false), StatusCodes.Status200OK, null);
            }

            if (request.HasJsonContentType())
            {
                using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 16 }, cancellationToken);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return new ReadResult(null, StatusCodes.Status400BadRequest, "Nội dung JSON phải là một đối tượng.");
                }

                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    fields[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString()!,
                        JsonValueKind.Null => string.Empty,
                        _ => property.Value.GetRawText(),
                    };
                }

                return new ReadResult(new SubmittedForm(fields, [], isJson: true), StatusCodes.Status200OK, null);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBytes);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return TooLarge(maxBytes);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return new ReadResult(null, StatusCodes.Status400BadRequest, "Không đọc được nội dung gửi lên.");
        }

        return new ReadResult(null, StatusCodes.Status415UnsupportedMediaType, "Chỉ nhận biểu mẫu HTML (urlencoded hoặc multipart) hoặc JSON.");
    }

    /// <summary>Whether the caller is a browser that wants a page (post/redirect/get) rather than JSON.</summary>
    public static bool WantsHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return request.HasFormContentType;
        }

        var html = accept.Where(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var json = accept.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || a.MediaType.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        return html > json || (html < 0 && json < 0 && request.HasFormContentType);
    }

    /// <summary>Whether the request's Accept header names <paramref name="mediaType"/> explicitly.</summary>
    public static bool Accepts(HttpRequest request, string mediaType) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase));

    private static ReadResult TooLarge(long maxBytes) =>
        new(null, StatusCodes.Status413PayloadTooLarge, $"Nội dung gửi lên vượt quá giới hạn {FormatSize(maxBytes)}.");

    private static string FormatSize(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MB" : $"{bytes / 1024} KB";
}
