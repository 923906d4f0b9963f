using System.Net;
using System.Text.RegularExpressions;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>A browser's view of one visitor: its cookies and the antiforgery token of the last form it was shown.</summary>
public sealed partial class Visitor
{
    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    public string? FormToken { get; set; }

    public void Remember(HttpResponseMessage response)
    {
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = header.Split(';')[0].Split('=', 2);
            if (pair[1].Length == 0)
            {
                Cookies.Remove(pair[0]);
            }
            else
            {
                Cookies[pair[0]] = pair[1];
            }
        }
    }

    /// <summary>A request as the browser sends it: asking for HTML, with the visitor's cookies and, when given, a form.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, Dictionary<string, string>? form = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/html");
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return request;
    }

    /// <summary>Sends <see cref="Request"/> and remembers the cookies it set and the form token of the page it answered.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, Dictionary<string, string>? form = null)
    {
        using var request = Request(method, path, form);
        var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Remember(response);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (FormTokenField().Match(html) is { Success: true } token)
        {
            FormToken = WebUtility.HtmlDecode(token.Groups[1].Value);
        }

        return response;
    }

    /// <summary>Signs in as <paramref name="name"/> through the sign-in form (its page first, for the form token), as a person does.</summary>
    public async Task SignInAsync(HttpClient http, string name, string password = HandlerApp.Password, string returnUrl = "/office")
    {
        using var page = await SendAsync(http, HttpMethod.Get, "office/login");
        using var signIn = await SendAsync(http, HttpMethod.Post, "office/login", new() { ["csrf"] = FormToken!, ["name"] = name, ["password"] = password, ["returnUrl"] = returnUrl });
        Assert.True(signIn.StatusCode == HttpStatusCode.SeeOther, $"signing in as {name}: {(int)signIn.StatusCode}");
        Assert.True(Cookies.ContainsKey("office"));
    }

    /// <summary>A client that leaves cookies and redirects to the test: each request says exactly what it carries, each answer is seen as sent.</summary>
    public static HttpClient Client(Uri baseAddress) =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenField();
}
