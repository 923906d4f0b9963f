using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Functions.Features.Directives;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// <c>POST /api/directives</c> retried: with the same <c>Idempotency-Key</c> and body, the same
/// directive (201, then 200 with the same body and <c>Idempotent-Replayed: true</c>), nothing new —
/// also when both arrive at once; the same key with another body is 409 problem+json; keys are kept
/// hashed. A number already used that year is answered with a warning naming the directive, not
/// refused — against Azurite.
/// </summary>
public sealed class RegistrationRetryTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly HandlerApp _app = new(storage.ConnectionString, StorageFixture.NewPrefix());
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static object Body(string number = "643-CV/ĐU", string issuedOn = "2026-02-05", string title = "Mở tài khoản ngân hàng") => new
    {
        number,
        issuedOn,
        issuer = "Đảng ủy UBND tỉnh",
        subject = "Triển khai dịch vụ công của Đảng",
        tasks = new[] { new { title, kind = "confirmation", deadline = "2099-12-31", units = new[] { "chi-bo-b", "dang-bo-a" } } },
    };

    private async Task<(HttpResponseMessage Response, string Body)> PostAsync(object body, string? key)
    {
        using var request = OfficeClient.Request(HttpMethod.Post, "api/directives", body);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        var response = await _office.Http.SendAsync(request, Ct);
        return (response, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<List<JsonElement>> ListAsync()
    {
        using var response = await _office.SendAsync(HttpMethod.Get, "api/directives");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.EnumerateArray().ToList();
    }

    [Fact]
    public async Task The_same_key_and_body_again_answer_the_same_directive_with_200_and_create_nothing()
    {
        var (first, firstBody) = await PostAsync(Body(), "lan-gui-1");
        var (again, againBody) = await PostAsync(Body(), "lan-gui-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains(DirectivesFeature.ReplayedHeader));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", Assert.Single(again.Headers.GetValues(DirectivesFeature.ReplayedHeader)));
        Assert.Equal(firstBody, againBody);
        Assert.Single(await ListAsync());
        first.Dispose();
        again.Dispose();
    }

    [Fact]
    public async Task Two_posts_with_one_key_at_once_register_one_directive_and_both_answer_it()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostAsync(Body(), "bam-hai-lan")));

        Assert.All(answers, a => Assert.True(a.Response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, a.Body));
        Assert.Single(answers.Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("id").GetString()).Distinct());
        Assert.Single(await ListAsync());
        var id = Assert.Single(await ListAsync()).GetProperty("id").GetString()!;
        var trail = await _app.Services.GetRequiredService<ServerlessWorkflow.Functions.Shared.Audit.AuditReader>().TrailAsync(new(DirectiveId: id), 10, Ct);
        Assert.Single(trail.Entries, e => e.Event.Action == AuditAction.DirectiveRegistered);
        foreach (var a in answers)
        {
            a.Response.Dispose();
        }
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_409_problem_and_creates_nothing()
    {
        var (first, _) = await PostAsync(Body(), "khoa-dung-lai");
        var (other, otherBody) = await PostAsync(Body(title: "Việc khác"), "khoa-dung-lai");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal("idempotency-key-reused", JsonDocument.Parse(otherBody).RootElement.GetProperty("code").GetString());
        Assert.Single(await ListAsync());
        first.Dispose();
        other.Dispose();
    }

    [Fact]
    public async Task Without_a_key_or_with_another_key_each_post_registers_and_a_bad_key_is_refused()
    {
        var (a, _) = await PostAsync(Body(), null);
        var (b, _) = await PostAsync(Body(), null);
        var (c, _) = await PostAsync(Body(), "khoa-khac");
        var (bad, badBody) = await PostAsync(Body(), " ");
        var (tooLong, _) = await PostAsync(Body(), new string('k', IdempotencyKey.MaxLength + 1));

        Assert.All([a, b, c], r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("Idempotency-Key", JsonDocument.Parse(badBody).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, (await ListAsync()).Count);
        foreach (var r in new[] { a, b, c, bad, tooLong })
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task A_key_is_stored_only_as_a_hash_of_the_caller_and_the_key()
    {
        const string Key = "cong-van-643 'quote' | pipe";
        var (created, _) = await PostAsync(Body(), Key);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var table = new TableServiceClient(storage.ConnectionString).GetTableClient(_app.Prefix + TableRegistrationClaims.TableName);
        var row = Assert.Single(table.Query<TableEntity>(cancellationToken: Ct));
        Assert.Matches("^[0-9a-f]{64}$", row.RowKey);
        Assert.DoesNotContain(row.Keys, k => row[k] is string s && s.Contains("quote", StringComparison.Ordinal));
        created.Dispose();
    }

    [Fact]
    public async Task A_number_already_used_that_year_is_registered_with_a_warning_naming_the_directive_and_another_year_is_not()
    {
        var (first, firstBody) = await PostAsync(Body("643-CV/ĐU"), null);
        var (same, sameBody) = await PostAsync(Body("643 - cv/đu", "2026-03-01"), null);
        var (nextYear, nextYearBody) = await PostAsync(Body("643-CV/ĐU", "2027-01-10"), null);

        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        var firstId = JsonDocument.Parse(firstBody).RootElement.GetProperty("id").GetString();
        var answer = JsonDocument.Parse(sameBody).RootElement;
        var warning = Assert.Single(answer.GetProperty("warnings").EnumerateArray());
        Assert.Equal("duplicate-number", warning.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, warning.GetProperty("taskId").ValueKind);
        Assert.Contains("công văn số 643-CV/ĐU ngày 05/02/2026", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(firstId, Assert.Single(answer.GetProperty("sameNumber").EnumerateArray()).GetProperty("id").GetString());
        Assert.Empty(JsonDocument.Parse(nextYearBody).RootElement.GetProperty("warnings").EnumerateArray());
        Assert.Empty(JsonDocument.Parse(nextYearBody).RootElement.GetProperty("sameNumber").EnumerateArray());
        Assert.Equal(3, (await ListAsync()).Count);
        first.Dispose();
        same.Dispose();
        nextYear.Dispose();
    }
}
