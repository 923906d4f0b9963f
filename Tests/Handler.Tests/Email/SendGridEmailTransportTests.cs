using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Email;

/// <summary>The SendGrid transport over real HTTP against <see cref="SendGridStub"/>.</summary>
public sealed class SendGridEmailTransportTests
{
    private const string UnitAddress = "bithu.chibo7@example.vn";
    private const string ParentAddress = "dangbo.khoi3@example.vn";
    private const string OfficeAddress = "vanphong@example.org";
    private const string Subject = "Nhắc hạn: Báo cáo kết quả thực hiện Công văn 643-CV/ĐU";
    private const string PlainText = "Kính gửi Chi bộ 7,\n\nHạn báo cáo là 25/02/2026.\nTrân trọng.";
    private const string Html = "<p>Kính gửi Chi bộ 7,</p><p>Hạn báo cáo là <strong>25/02/2026</strong>.</p>";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EmailMessage Reminder(string key = "outbox-d1-u7-step1") => new()
    {
        To = [Box(UnitAddress, "Chi bộ 7")],
        Cc = [Box(ParentAddress, "Đảng bộ Khối 3")],
        Subject = Subject,
        PlainText = PlainText,
        Html = Html,
        IdempotencyKey = key,
    };

    [Fact]
    public async Task An_accepted_email_reaches_SendGrid_with_its_sender_recipients_copies_subject_both_bodies_and_idempotency_key()
    {
        await using var stub = await SendGridStub.StartAsync();
        stub.Enqueue(StubResponse.Accepted("sg-message-42"));
        await using var host = await TransportHost.StartAsync(TransportHost.SettingsFor(stub));

        var result = await host.Transport.SendAsync(Reminder(), Ct);

        Assert.Equal(new EmailSendResult.Sent("sg-message-42"), result);
        var request = Assert.Single(stub.Requests);
        Assert.Equal($"Bearer {stub.ApiKey}", request.Authorization);
        Assert.Equal(new StubAddress(TransportHost.Sender, "Văn phòng Đảng ủy"), request.From);
        Assert.Equal([new StubAddress(UnitAddress, "Chi bộ 7")], request.To);
        Assert.Equal([new StubAddress(ParentAddress, "Đảng bộ Khối 3")], request.Cc);
        Assert.Equal(Subject, request.Subject);
        Assert.Equal([new StubContent("text/plain", PlainText), new StubContent("text/html", Html)], request.Contents);
        Assert.Equal("outbox-d1-u7-step1", request.CustomArgs[SendGridEmailTransport.IdempotencyKeyArgument]);
        Assert.Equal("outbox-d1-u7-step1", request.Headers[SendGridEmailTransport.IdempotencyKeyHeader]);
    }

    [Fact]
    public async Task A_message_that_names_its_own_sender_is_sent_from_it_and_a_copy_to_a_recipient_is_sent_once()
    {
        await using var stub = await SendGridStub.StartAsync();
        await using var host = await TransportHost.StartAsync(TransportHost.SettingsFor(stub));
        var message = Reminder() with
        {
            From = Box("hethong@example.org", "Hệ thống nhắc việc"),
            To = [Box(ParentAddress), Box(ParentAddress.ToUpperInvariant())],
            Cc = [Box(ParentAddress.ToUpperInvariant()), Box(OfficeAddress), Box(OfficeAddress)],
        };

        var result = await host.Transport.SendAsync(message, Ct);

        Assert.IsType<EmailSendResult.Sent>(result);
        var request = Assert.Single(stub.Requests);
        Assert.Equal(new StubAddress("hethong@example.org", "Hệ thống nhắc việc"), request.From);
        Assert.Equal([new StubAddress(ParentAddress, null)], request.To);
        Assert.Equal([new StubAddress(OfficeAddress, null)], request.Cc);
    }

    [Fact]
    public async Task Sends_reuse_one_connection()
    {
        await using var stub = await SendGridStub.StartAsync();
        await using var host = await TransportHost.StartAsync(TransportHost.SettingsFor(stub));

        for (var i = 0; i < 3; i++)
        {
            Assert.IsType<EmailSendResult.Sent>(await host.Transport.SendAsync(Reminder($"k{i}"), Ct));
        }

        Assert.Single(stub.Requests.Select(r => r.ConnectionId).Distinct());
    }

    [Fact]
    public async Task A_429_is_throttled_until_the_X_RateLimit_Reset_second_as_seen_by_the_clock()
    {
        await using var stub = await SendGridStub.StartAsync();
        await using var host = await TransportHost.StartAsync(TransportHost.SettingsFor(stub));
        host.Time.Advance(TimeSpan.FromMinutes(5));
        stub.Enqueue(StubResponse.TooManyRequests(host.Time.GetUtcNow().ToUnixTimeSeconds() + 37, retryAfter: "5"));

        var result = await host.Transport.SendAsync(Reminder(), Ct);

        Assert.Equal(new EmailSendResult.Throttled(TimeSpan.FromSeconds(37)), result);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData(null, "12", 12)]                      // no reset: Retry-After in seconds
    [InlineData(null, null, 60)]                      // neither: the default
    [InlineData(-30L, null, 1)]                       // a reset already past (clock skew): one second, not zero
    [InlineData(86_400L, null, 3600)]                 // a reset a day away: capped at an hour
    public async Task A_429_without_a_usable_reset_falls_back_to_Retry_After_then_the_default_within_bounds(long? resetFromNow, string? retryAfter, int expectedSeconds)
    {
        await using var stub = await SendGridStub.StartAsync();
        await using var host = await TransportHost.StartAsync(TransportHost.SettingsFor(stub));
        stub.Enqueue(StubResponse.TooManyRequests(resetFromNow is { } s ? host.Time.GetUtcNow().ToUnixTimeSeconds() + s : null, retryAfter));

        var result = await host.Transport.SendAsync(Reminder(), Ct);

        Assert.Equal(new EmailSendResult.Throttled(TimeSpan.FromSeconds(expectedSeconds)), result);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task A_5xx_is_a_transient_failure_with_its_status(int status)
    {
        await using var stub = await SendGridStub.StartAsync();
        stub.Enqueue(StubResponse.ServerError(status));
        await using var host = await TransportHost.StartAsync(TransportHost.SettingsFor(stub));

        var result = await host.Transport.SendAsync(Reminder(), Ct);

        Assert.Equal(new EmailSendResult.TransientFailure($"HTTP {status}", (HttpStatusCode)status), result);
    }

    [Fact]
    public async Task A_request_that_outlasts_the_timeout_is_a_transient_failure_and_does_not_wait_for_the_answer()
    {
        await using var stub = await SendGridStub.StartAsync();
        stub.Enqueue(StubResponse.Hang(TimeSpan.FromSeconds(30)));
        var settings = TransportHost.SettingsFor(stub);
        settings["SendGrid:Timeout"] = "00:00:00.300";
        await using var host = await TransportHost.StartAsync(settings);
        var clock = Stopwatch.StartNew();

        var result = await host.Transport.SendAsync(Reminder(), Ct);

        Assert.Equal(new EmailSendResult.TransientFailure("timeout"), result);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transient_failure()
    {
        await using var stub = await SendGridStub.StartAsync();
        var settings = TransportHost.SettingsFor(stub);
        settings["SendGrid:Host"] = $"http://127.0.0.1:{FreePort.Next()}/";
        await using var host = await TransportHost.StartAsync(settings);

        var result = await host.Transport.SendAsync(Reminder(), Ct);

        var failure = Assert.IsType<EmailSendResult.TransientFailure>(result);
        Assert.StartsWith("connection:", failure.Reason, StringComparison.Ordinal);
        Assert.Null(failure.StatusCode);
    }

    [Fact]
    public async Task A_400_is_rejected_with_its_status_and_SendGrid_s_field_and_message_with_addresses_redacted()
    {
        await using var stub = await SendGridStub.StartAsync();
        stub.Enqueue(StubResponse.BadRequest($"The email address {UnitAddress} does not contain a valid address.", "personalizations.0.to.0.email"));
        await using var host = await TransportHost.StartAsync(TransportHost.SettingsFor(stub));

        var result = await host.Transport.SendAsync(Reminder(), Ct);

        var rejected = Assert.IsType<EmailSendResult.Rejected>(result);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal("personalizations.0.to.0.email: The email address [address] does not contain a valid address.", rejected.Reason);
    }

    [Fact]
    public async Task A_wrong_key_is_rejected_with_401_and_not_worth_retrying()
    {
        await using var stub = await SendGridStub.StartAsync();
        var settings = TransportHost.SettingsFor(stub);
        settings["SendGrid:ApiKey"] = "SG.revoked";
        await using var host = await TransportHost.StartAsync(settings);

        var result = await host.Transport.SendAsync(Reminder(), Ct);

        var rejected = Assert.IsType<EmailSendResult.Rejected>(result);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("Bearer SG.revoked", Assert.Single(stub.Requests).Authorization);
    }

    [Fact]
    public async Task Without_an_API_key_nothing_is_sent_and_the_log_says_so_once_for_two_sends()
    {
        await using var stub = await SendGridStub.StartAsync();
        var settings = TransportHost.SettingsFor(stub);
        settings.Remove("SendGrid:ApiKey");
        await using var host = await TransportHost.StartAsync(settings);

        var first = await host.Transport.SendAsync(Reminder("a"), Ct);
        var second = await host.Transport.SendAsync(Reminder("b"), Ct);

        Assert.Equal(new EmailSendResult.NotConfigured(MissingSetting.ApiKey), first);
        Assert.Equal(new EmailSendResult.NotConfigured(MissingSetting.ApiKey), second);
        Assert.Empty(stub.Requests);
        var said = Assert.Single(host.Logs.Entries, e => e.Message.Contains("SendGrid__ApiKey is not set", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, said.Level);
    }

    [Fact]
    public async Task Line_breaks_and_control_characters_in_the_subject_names_and_key_do_not_reach_the_wire_while_the_bodies_keep_theirs()
    {
        await using var stub = await SendGridStub.StartAsync();
        await using var host = await TransportHost.StartAsync(TransportHost.SettingsFor(stub));
        var message = Reminder("outbox-1\r\nBcc: attacker@example.com") with
        {
            From = Box(OfficeAddress, "Văn phòng\r\nReply-To: attacker@example.com"),
            To = [Box(UnitAddress, "Chi bộ 7\nX-Evil: 1")],
            Cc = [Box(ParentAddress, "Đảng bộ\u2028Khối 3\u0000")],
            Subject = "Nhắc hạn\r\nBcc: attacker@example.com\t\u0085báo cáo\u202E",
        };

        var result = await host.Transport.SendAsync(message, Ct);

        Assert.IsType<EmailSendResult.Sent>(result);
        var request = Assert.Single(stub.Requests);
        Assert.Equal("Nhắc hạn Bcc: attacker@example.com báo cáo", request.Subject);
        Assert.Equal("Văn phòng Reply-To: attacker@example.com", request.From!.Name);
        Assert.Equal("Chi bộ 7 X-Evil: 1", request.To.Single().Name);
        Assert.Equal("Đảng bộ Khối 3", request.Cc.Single().Name);
        Assert.Equal("outbox-1 Bcc: attacker@example.com", request.Headers[SendGridEmailTransport.IdempotencyKeyHeader]);
        Assert.Equal("outbox-1 Bcc: attacker@example.com", request.CustomArgs[SendGridEmailTransport.IdempotencyKeyArgument]);
        var headerBound = new[] { request.Subject!, request.From.Name!, request.To.Single().Name!, request.Cc.Single().Name! }
            .Concat(request.Headers.Values).Concat(request.CustomArgs.Values);
        Assert.All(headerBound, v => Assert.DoesNotContain(v, c => char.IsControl(c) || c is '\u2028' or '\u202E'));
        Assert.Equal(PlainText, request.Contents[0].Value);
    }

    [Theory]
    [InlineData("bithu@example.vn\r\nBcc: attacker@example.com")]
    [InlineData("Chi bộ 7 <bithu@example.vn>")]
    [InlineData("bithu@example.vn, attacker@example.com")]
    [InlineData("not an address")]
    public void A_recipient_that_is_not_one_bare_address_cannot_become_an_address_so_nothing_can_be_sent_to_it(string address)
    {
        // The transport takes only EmailAddress values: what is not one bare address never reaches it.
        Assert.False(ServerlessWorkflow.Domain.Common.EmailAddress.Parse(address).IsSuccess);
    }

    [Fact]
    public async Task A_message_without_recipient_subject_or_body_is_rejected_and_one_without_any_sender_is_not_configured_before_anything_is_sent()
    {
        await using var stub = await SendGridStub.StartAsync();
        var settings = TransportHost.SettingsFor(stub);
        settings.Remove("Email:From");
        await using var host = await TransportHost.StartAsync(settings);
        var sender = Box(OfficeAddress);

        var noSender = await host.Transport.SendAsync(Reminder(), Ct);
        var results = new[]
        {
            await host.Transport.SendAsync(Reminder() with { From = sender, To = [] }, Ct),
            await host.Transport.SendAsync(Reminder() with { From = sender, Subject = "\r\n " }, Ct),
            await host.Transport.SendAsync(Reminder() with { From = sender, PlainText = " ", Html = null }, Ct),
        };

        Assert.Equal(new EmailSendResult.NotConfigured(MissingSetting.Sender), noSender);
        Assert.Equal(
            ["no recipient", "no subject", "no body: neither plain text nor HTML"],
            results.Select(r => Assert.IsType<EmailSendResult.Rejected>(r).Reason));
        Assert.Empty(stub.Requests);
        Assert.Single(host.Logs.Entries, e => e.Message.Contains("Email__From is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancellation_by_the_caller_throws_instead_of_reporting_a_failure()
    {
        await using var stub = await SendGridStub.StartAsync();
        stub.Enqueue(StubResponse.Hang(TimeSpan.FromSeconds(30)));
        await using var host = await TransportHost.StartAsync(TransportHost.SettingsFor(stub));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Transport.SendAsync(Reminder(), cancel.Token));
    }

    [Fact]
    public async Task Nothing_the_transport_logs_contains_an_address_the_subject_or_a_body()
    {
        await using var stub = await SendGridStub.StartAsync();
        stub.Enqueue(
            StubResponse.Accepted(),
            StubResponse.TooManyRequests(null),
            StubResponse.ServerError(),
            StubResponse.BadRequest($"Invalid address {UnitAddress}", "personalizations.0.to.0.email"));
        await using var host = await TransportHost.StartAsync(TransportHost.SettingsFor(stub));

        for (var i = 0; i < 4; i++)
        {
            await host.Transport.SendAsync(Reminder(), Ct);
        }

        var logged = host.Logs.Entries.Where(e => e.Category.StartsWith("ServerlessWorkflow", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, logged.Count);
        Assert.All(host.Logs.Entries, e =>
        {
            Assert.DoesNotContain("@", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Nhắc hạn", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Kính gửi", e.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("SendGrid:Host", "not a url")]
    [InlineData("SendGrid:Host", "ftp://api.sendgrid.com")]
    [InlineData("Email:From", "văn phòng")]
    [InlineData("Email:Office", "a@b.vn, c@d.vn")]
    public async Task A_malformed_host_or_address_stops_the_start(string key, string value)
    {
        await using var stub = await SendGridStub.StartAsync();
        var settings = TransportHost.SettingsFor(stub);
        settings[key] = value;

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(async () => await (await TransportHost.StartAsync(settings)).DisposeAsync());

        Assert.Contains(key.Replace(":", "__", StringComparison.Ordinal), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Email_options_read_the_office_and_sender_as_bare_or_named_addresses()
    {
        var options = new EmailOptions { From = "Văn phòng Đảng ủy <vanphong@example.org>", Office = "vanphong@example.org" };

        Assert.Equal(Box("vanphong@example.org", "Văn phòng Đảng ủy"), options.FromAddress);
        Assert.Equal(Box("vanphong@example.org"), options.OfficeAddress);
        Assert.Null(new EmailOptions().FromAddress);
    }

    private static Mailbox Box(string address, string? name = null) => new(ServerlessWorkflow.Domain.Common.EmailAddress.Parse(address).Value, name);
}
