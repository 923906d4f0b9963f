using Microsoft.Extensions.Options;
using ServerlessWorkflow.Functions.Features.CheckDeadlines;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>Every section is validated when the handler starts: a bad value stops the start and the message names the setting as it is set.</summary>
public sealed class SettingsTests(StorageFixture storage)
{
    [Theory]
    [InlineData("Escalation:SendHour", "25", "Escalation__SendHour")]
    [InlineData("Escalation:Step2DaysOverdue", "0", "Escalation__Step2DaysOverdue")]
    [InlineData("Escalation:Step3DaysOverdue", "2", "Escalation__Step3DaysOverdue")]
    [InlineData("Escalation:RemindersDaysBefore:0", "0", "Escalation__RemindersDaysBefore")]
    [InlineData("Escalation:Recipients", "btv@example.invalid, not an address", "Escalation__Recipients")]
    [InlineData("Escalation:SenderLeaseSeconds", "5", "Escalation__SenderLeaseSeconds")]
    [InlineData("Escalation:Schedule", "every five minutes", "Escalation__Schedule")]
    [InlineData("Links:SigningKey", "short", "Links__SigningKey")]
    [InlineData("Links:KeyVersion", "0", "Links__KeyVersion")]
    [InlineData("Links:BaseUrl", "/relative", "Links__BaseUrl")]
    [InlineData("Links:LifetimeAfterLastDeadline", "-1.00:00:00", "Links__LifetimeAfterLastDeadline")]
    [InlineData("Office:ApiKey", "too-short", "Office__ApiKey")]
    [InlineData("Email:Office", "văn phòng", "Email__Office")]
    [InlineData("SendGrid:Host", "ftp://api.sendgrid.com", "SendGrid__Host")]
    [InlineData("LocalTriggers:BlobPollInterval", "00:00:00", "LocalTriggers__BlobPollInterval")]
    [InlineData("Storage:Prefix", "Not-Valid", "Storage__Prefix")]
    [InlineData("Calendar:CountDaysIn", "weeks", "Calendar__CountDaysIn")]
    [InlineData("Calendar:CheckEverySeconds", "0", "Calendar__CheckEverySeconds")]
    public async Task A_bad_value_stops_the_start_with_a_message_naming_the_setting(string key, string value, string named)
    {
        var (exitCode, output) = await StartWithAsync(key, value);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(nameof(OptionsValidationException), output, StringComparison.Ordinal);
        Assert.Contains(named, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_stops_the_start_naming_the_setting()
    {
        var (exitCode, output) = await StartWithAsync("Escalation:SendHour", "seven");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Escalation:SendHour", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The handler as the host runs it (its own process, settings as environment variables) with one bad value:
    /// it must stop by itself. A process, not the in-memory app: a start that fails at once races the test
    /// host's own start-up and can surface as a disposed service provider instead of the refusal.
    /// </summary>
    private async Task<(int ExitCode, string Output)> StartWithAsync(string key, string value) =>
        await HandlerProcess.RunUntilItStopsAsync(
            new Dictionary<string, string>
            {
                ["AzureWebJobsStorage"] = storage.ConnectionString,
                ["Storage__Prefix"] = StorageFixture.NewPrefix(),
                ["LocalTriggers__Enabled"] = "false",
                ["Office__ApiKey"] = HandlerApp.OfficeKey,
                ["Links__SigningKey"] = "test-signing-key-0123456789abcdef",
                [key.Replace(":", "__", StringComparison.Ordinal)] = value,
            },
            TimeSpan.FromSeconds(60));

    [Fact]
    public void The_schedule_the_pages_announce_is_the_one_in_CheckDeadlines_function_json()
    {
        var function = FunctionManifest.Discover(Repository.PathOf("Functions")).Single(f => f.Name == CheckDeadlinesFunction.FunctionName);

        Assert.Equal(EscalationOptions.DefaultSchedule, function.Trigger.Schedule);
    }
}
