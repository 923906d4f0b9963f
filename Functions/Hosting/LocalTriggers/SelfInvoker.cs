using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ServerlessWorkflow.Functions.Hosting.LocalTriggers;

/// <summary>
/// Calls this handler's own function endpoint over HTTP, as the Functions host would:
/// <c>POST http://127.0.0.1:{port}/{FunctionName}</c> with the invocation payload.
/// </summary>
public sealed class SelfInvoker(IServer server, HttpClient http)
{
    public async Task<bool> InvokeAsync(string functionName, JsonObject payload, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(BaseAddress(), functionName), payload, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private Uri BaseAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("The handler has no HTTP address to invoke.");
        var uri = new UriBuilder(address);
        if (uri.Host is "+" or "*" or "0.0.0.0" or "[::]" or "localhost")
        {
            uri.Host = "127.0.0.1";
        }

        uri.Path = "/";
        return uri.Uri;
    }
}
