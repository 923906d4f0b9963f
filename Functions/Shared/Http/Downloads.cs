using Microsoft.AspNetCore.Http.HttpResults;

namespace ServerlessWorkflow.Functions.Shared.Http;

/// <summary>
/// Files the office downloads — what units attached, the board's workbook, the report — always as
/// attachments: <c>Content-Disposition: attachment</c> with the given (already safe) name, never
/// sniffed (<c>nosniff</c>), never run or shown in the page (a sandbox with nothing allowed), not cached.
/// </summary>
public static class Downloads
{
    public const string Binary = "application/octet-stream";
    public const string Spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string WordDocument = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>A download's name from a directive's number or a period: "bao-cao-643-CV-DU.docx" — ASCII letters and digits, the rest dashes.</summary>
    public static string Name(string prefix, string text, string extension) =>
        prefix + "-" + new string(Domain.Common.Text.Fold(text).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-') + extension;

    public static FileStreamHttpResult Stream(HttpResponse response, Stream content, string contentType, string fileName)
    {
        Protect(response);
        return TypedResults.Stream(content, contentType, fileName);
    }

    public static FileContentHttpResult Bytes(HttpResponse response, byte[] content, string contentType, string fileName)
    {
        Protect(response);
        return TypedResults.File(content, contentType, fileName);
    }

    private static void Protect(HttpResponse response)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        response.Headers.CacheControl = "no-store";
    }
}
