using System.Text;
using System.Text.Json;
using ServerlessWorkflow.Functions.Hosting.Invocations;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>Pins every payload form of the custom-handler contract for timer and blob triggers (architecture.md).</summary>
public sealed class InvocationContractTests
{
    private static readonly byte[] Spreadsheet = Encoding.UTF8.GetBytes("PK\u0003\u0004 not really a workbook");
    private static readonly string Base64 = Convert.ToBase64String(Spreadsheet);

    private static InvocationRequest Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return InvocationRequest.Parse(document.RootElement);
    }

    [Fact]
    public void A_blob_invocation_with_quoted_metadata_strings_gives_the_plain_name_and_the_base64_content()
    {
        var request = Parse($$$"""
            {"Data": {"blob": "{{{Base64}}}"},
             "Metadata": {"name": "\"d1/u7/a.xlsx\"", "BlobTrigger": "\"uploads/d1/u7/a.xlsx\"",
                          "Uri": "\"http://127.0.0.1:10000/devstoreaccount1/uploads/d1/u7/a.xlsx\"",
                          "Properties": {"ETag": "\"0x8DC\"", "ContentLength": 42, "ContentType": "application/octet-stream", "LastModified": "2026-02-20T03:04:05+00:00"},
                          "sys": {"MethodName": "ImportStatistics"} } }
            """);

        var blob = BlobTriggerInput.From(request, "blob");

        Assert.Equal("d1/u7/a.xlsx", blob.Name);
        Assert.Equal("uploads/d1/u7/a.xlsx", blob.BlobPath);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1/uploads/d1/u7/a.xlsx"), blob.Uri);
        Assert.Equal(Spreadsheet, blob.Content.ToArray());
        Assert.Equal("\"0x8DC\"", blob.Properties.ETag);
        Assert.Equal(42, blob.Properties.ContentLength);
        Assert.Equal("application/octet-stream", blob.Properties.ContentType);
        Assert.Equal(new DateTimeOffset(2026, 2, 20, 3, 4, 5, TimeSpan.Zero), blob.Properties.LastModified);
    }

    [Fact]
    public void A_blob_invocation_with_unquoted_strings_reads_the_same()
    {
        var request = Parse($$$"""
            {"Data": {"blob": "{{{Base64}}}"},
             "Metadata": {"name": "d1/u7/a.xlsx", "Uri": "http://host/uploads/d1/u7/a.xlsx"}}
            """);

        var blob = BlobTriggerInput.From(request, "blob");

        Assert.Equal("d1/u7/a.xlsx", blob.Name);
        Assert.Equal(new Uri("http://host/uploads/d1/u7/a.xlsx"), blob.Uri);
        Assert.Same(BlobTriggerProperties.None, blob.Properties);
    }

    [Fact]
    public void Properties_that_arrive_as_a_json_string_are_read_as_the_object_they_encode()
    {
        var request = Parse($$$"""
            {"Data": {"blob": "{{{Base64}}}"},
             "Metadata": {"name": "\"a.xlsx\"", "Properties": "{\"ETag\":\"\\\"0x1\\\"\",\"ContentLength\":\"7\"}"}}
            """);

        var blob = BlobTriggerInput.From(request, "blob");

        Assert.Equal("\"0x1\"", blob.Properties.ETag);
        Assert.Equal(7, blob.Properties.ContentLength);
    }

    [Theory]
    [InlineData("""{"AbsoluteUri": "http://host/uploads/a.xlsx"}""")]
    [InlineData("""{"OriginalString": "http://host/uploads/a.xlsx"}""")]
    [InlineData("\"{\\\"AbsoluteUri\\\": \\\"http://host/uploads/a.xlsx\\\"}\"")]
    [InlineData("\"\\\"http://host/uploads/a.xlsx\\\"\"")]
    public void A_uri_arrives_as_a_string_or_as_an_object_and_reads_the_same(string uriJson)
    {
        var request = Parse($$$"""{"Data": {"blob": ""}, "Metadata": {"name": "a.xlsx", "Uri": {{{uriJson}}}}}""");

        Assert.Equal(new Uri("http://host/uploads/a.xlsx"), BlobTriggerInput.From(request, "blob").Uri);
    }

    [Fact]
    public void Base64_content_that_is_itself_quoted_is_decoded()
    {
        var request = Parse($$$"""{"Data": {"blob": "\"{{{Base64}}}\""}, "Metadata": {"name": "a.xlsx"}}""");

        Assert.Equal(Spreadsheet, BlobTriggerInput.From(request, "blob").Content.ToArray());
    }

    [Fact]
    public void Top_level_and_binding_names_are_matched_without_regard_to_case()
    {
        var request = Parse($$$"""{"data": {"Blob": "{{{Base64}}}"}, "metadata": {"Name": "\"a.xlsx\""}}""");

        var blob = BlobTriggerInput.From(request, "blob");

        Assert.Equal("a.xlsx", blob.Name);
        Assert.Equal(Spreadsheet, blob.Content.ToArray());
    }

    [Theory]
    [InlineData("""{"Data": {"blob": "not base64!"}, "Metadata": {"name": "a"}}""", "not base64")]
    [InlineData("""{"Data": {}, "Metadata": {"name": "a"}}""", "no data for binding 'blob'")]
    [InlineData("""{"Data": {"blob": ""}, "Metadata": {}}""", "no 'name' metadata")]
    [InlineData("""{"Data": [1, 2], "Metadata": {}}""", "'Data' is not a JSON object")]
    [InlineData("""[]""", "not a JSON object")]
    public void A_payload_the_handler_cannot_read_is_a_format_error_that_says_why(string json, string reason)
    {
        var error = Assert.Throws<InvocationFormatException>(() => BlobTriggerInput.From(Parse(json), "blob"));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timer_invocation_gives_its_schedule_status_and_past_due_flag()
    {
        var request = Parse("""
            {"Data": {"timer": {"Schedule": {"AdjustForDST": true},
                                "ScheduleStatus": {"Last": "2026-02-25T16:55:00+00:00", "Next": "2026-02-25T17:00:00+00:00", "LastUpdated": "2026-02-25T16:55:00.1+00:00"},
                                "IsPastDue": true}},
             "Metadata": {"sys": {"MethodName": "CheckDeadlines"}}}
            """);

        var timer = TimerTriggerInput.From(request, "timer");

        Assert.True(timer.IsPastDue);
        Assert.Equal(new DateTimeOffset(2026, 2, 25, 16, 55, 0, TimeSpan.Zero), timer.Last);
        Assert.Equal(new DateTimeOffset(2026, 2, 25, 17, 0, 0, TimeSpan.Zero), timer.Next);
        Assert.NotNull(timer.LastUpdated);
    }

    [Fact]
    public void A_timer_invocation_without_status_is_still_a_run()
    {
        var timer = TimerTriggerInput.From(Parse("""{"Data": {}, "Metadata": {}}"""), "timer");

        Assert.False(timer.IsPastDue);
        Assert.Null(timer.Last);
        Assert.Null(timer.Next);
    }

    [Fact]
    public void The_response_has_the_hosts_pascal_case_shape_whatever_the_naming_policy()
    {
        var json = JsonSerializer.Serialize(InvocationResponse.Completed, JsonSerializerOptions.Web);

        Assert.Equal("""{"Outputs":{},"Logs":[],"ReturnValue":null}""", json);
    }

    [Fact]
    public void The_local_hosts_blob_payload_is_read_back_by_the_contract_reader()
    {
        var payload = InvocationPayloads.ForBlob(
            "ImportStatistics",
            "blob",
            "uploads/d1/u7/a.xlsx",
            new Dictionary<string, string> { ["name"] = "d1/u7/a.xlsx" },
            new Uri("http://127.0.0.1:10000/devstoreaccount1/uploads/d1/u7/a.xlsx"),
            new BlobTriggerProperties("\"0x8DC\"", Spreadsheet.Length, "application/octet-stream", null),
            Spreadsheet,
            DateTimeOffset.UnixEpoch);

        var metadataName = payload["Metadata"]!["name"]!.GetValue<string>();
        var blob = BlobTriggerInput.From(Parse(payload.ToJsonString()), "blob");

        Assert.Equal("\"d1/u7/a.xlsx\"", metadataName);
        Assert.Equal("d1/u7/a.xlsx", blob.Name);
        Assert.Equal(Spreadsheet, blob.Content.ToArray());
        Assert.Equal(Spreadsheet.Length, blob.Properties.ContentLength);
    }
}
