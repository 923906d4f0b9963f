using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>
/// A local stand-in for SendGrid's v3 mail API on a free loopback port: <c>POST /v3/mail/send</c> with
/// <c>Authorization: Bearer {ApiKey}</c>. It records every request it receives and answers each from a
/// script (<see cref="Enqueue"/>), or 202 once the script is used up. A wrong or missing key gets 401,
/// as SendGrid answers it. Point <c>SendGrid:Host</c> at <see cref="BaseAddress"/>.
/// </summary>
public sealed class SendGridStub : IAsyncDisposable
{
    private WebApplication _app = null!;
    private readonly ConcurrentQueue<StubResponse> _script = new();
    private readonly ConcurrentQueue<SendGridRequest> _requests = new();
    private readonly ConcurrentQueue<SendGridRequest> _accepted = new();
    private TaskCompletionSource? _hold;
    private TaskCompletionSource<SendGridRequest>? _held;
    private int _messageCounter;

    private SendGridStub(string apiKey)
    {
        ApiKey = apiKey;
    }

    public string ApiKey { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request received, in order (including refused and timed-out ones).</summary>
    public IReadOnlyList<SendGridRequest> Requests => [.. _requests];

    /// <summary>The requests answered 202 — the emails SendGrid took — in order.</summary>
    public IReadOnlyList<SendGridRequest> AcceptedRequests => [.. _accepted];

    /// <summary>
    /// From now on, requests are recorded but not answered until <see cref="Release"/>: the caller
    /// waits as it would on a provider that took the email and has not said so yet. The task
    /// completes with the first request that is held.
    /// </summary>
    public Task<SendGridRequest> HoldResponses()
    {
        _held = new TaskCompletionSource<SendGridRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _held.Task;
    }

    /// <summary>Answers the held requests whose callers are still there, and stops holding.</summary>
    public void Release()
    {
        var hold = _hold;
        _hold = null;
        hold?.TrySetResult();
    }

    public static async Task<SendGridStub> StartAsync(string apiKey = "SG.stub-key")
    {
        var stub = new SendGridStub(apiKey);
        (stub._app, stub.BaseAddress) = await LoopbackServer.StartAsync(app => app.MapPost("/v3/mail/send", stub.HandleAsync));
        return stub;
    }

    /// <summary>Queues the answers to the next requests, one each, in order.</summary>
    public SendGridStub Enqueue(params StubResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var raw = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        var request = SendGridRequest.Parse(authorization, raw) with { ConnectionId = context.Connection.Id };
        _requests.Enqueue(request);
        if (_hold is { } hold)
        {
            _held?.TrySetResult(request);
            try
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the caller is gone (killed): nothing was answered
            }
        }

        if (!string.Equals(authorization, $"Bearer {ApiKey}", StringComparison.Ordinal))
        {
            await WriteAsync(context, StubResponse.Unauthorized());
            return;
        }

        var response = _script.TryDequeue(out var next) ? next : StubResponse.Accepted();
        if (response.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(response.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await WriteAsync(context, response.StatusCode == StatusCodes.Status202Accepted && !response.Headers.ContainsKey("X-Message-Id")
            ? response with { Headers = new Dictionary<string, string>(response.Headers) { ["X-Message-Id"] = $"stub-{Interlocked.Increment(ref _messageCounter)}" } }
            : response);
        if (response.StatusCode == StatusCodes.Status202Accepted)
        {
            await context.Response.CompleteAsync();
            _accepted.Enqueue(request);
        }
    }

    private static async Task WriteAsync(HttpContext context, StubResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
        }
    }
}

/// <summary>One scripted answer of <see cref="SendGridStub"/>: status, headers, body, and how long to wait before answering.</summary>
public sealed record StubResponse(int StatusCode, string? Body = null, IReadOnlyDictionary<string, string>? ResponseHeaders = null, TimeSpan Delay = default)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = ResponseHeaders ?? new Dictionary<string, string>();

    /// <summary>202 with an <c>X-Message-Id</c> (the stub numbers them when none is given).</summary>
    public static StubResponse Accepted(string? messageId = null) =>
        new(StatusCodes.Status202Accepted, ResponseHeaders: messageId is null ? null : new Dictionary<string, string> { ["X-Message-Id"] = messageId });

    /// <summary>429 as SendGrid sends it: <c>X-RateLimit-Limit</c>, <c>-Remaining: 0</c>, <c>-Reset</c> in Unix seconds.</summary>
    public static StubResponse TooManyRequests(long? resetUnixSeconds, string? retryAfter = null)
    {
        var headers = new Dictionary<string, string> { ["X-RateLimit-Limit"] = "600", ["X-RateLimit-Remaining"] = "0" };
        if (resetUnixSeconds is { } reset)
        {
            headers["X-RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
        }

        if (retryAfter is not null)
        {
            headers["Retry-After"] = retryAfter;
        }

        return new(StatusCodes.Status429TooManyRequests, """{"errors":[{"field":null,"message":"too many requests"}]}""", headers);
    }

    public static StubResponse ServerError(int statusCode = StatusCodes.Status500InternalServerError) =>
        new(statusCode, """{"errors":[{"field":null,"message":"internal error"}]}""");

    /// <summary>400 with SendGrid's error body.</summary>
    public static StubResponse BadRequest(string message, string? field = null) =>
        new(StatusCodes.Status400BadRequest, new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["field"] = field, ["help"] = "https://sendgrid.com/docs" }),
        }.ToJsonString());

    public static StubResponse Unauthorized() =>
        new(StatusCodes.Status401Unauthorized, """{"errors":[{"field":null,"message":"The provided authorization grant is invalid, expired, or revoked","help":null}]}""");

    /// <summary>202, but only after <paramref name="delay"/>: longer than the client's timeout, it is a timeout.</summary>
    public static StubResponse Hang(TimeSpan delay) => Accepted() with { Delay = delay };
}

/// <summary>A request the stub received: the parsed fields of SendGrid's mail/send body, and the raw JSON.</summary>
public sealed record SendGridRequest(
    string Authorization,
    string RawBody,
    StubAddress? From,
    IReadOnlyList<StubAddress> To,
    IReadOnlyList<StubAddress> Cc,
    string? Subject,
    IReadOnlyList<StubContent> Contents,
    IReadOnlyDictionary<string, string> CustomArgs,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>Kestrel's id of the TCP connection the request came on (the same id means a reused connection).</summary>
    public string ConnectionId { get; init; } = string.Empty;

    /// <summary>Reads the first personalization (the transport sends one) merged with the message-level fields.</summary>
    public static SendGridRequest Parse(string authorization, string raw)
    {
        var json = JsonNode.Parse(raw)?.AsObject() ?? [];
        var personalization = json["personalizations"]?.AsArray().FirstOrDefault()?.AsObject() ?? [];
        return new SendGridRequest(
            authorization,
            raw,
            Address(json["from"]),
            Addresses(personalization["to"]),
            Addresses(personalization["cc"]),
            (string?)personalization["subject"] ?? (string?)json["subject"],
            (json["content"]?.AsArray() ?? []).Select(c => new StubContent((string)c!["type"]!, (string)c["value"]!)).ToList(),
            Merge(json["custom_args"], personalization["custom_args"]),
            Merge(json["headers"], personalization["headers"]));
    }

    private static StubAddress? Address(JsonNode? node) => node is null ? null : new StubAddress((string)node["email"]!, (string?)node["name"]);

    private static List<StubAddress> Addresses(JsonNode? node) => (node?.AsArray() ?? []).Select(a => Address(a)!).ToList();

    private static Dictionary<string, string> Merge(params JsonNode?[] objects)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in objects.Where(o => o is not null).SelectMany(o => o!.AsObject()))
        {
            merged[name] = (string?)value ?? string.Empty;
        }

        return merged;
    }
}

public sealed record StubAddress(string Email, string? Name);

public sealed record StubContent(string Type, string Value);
