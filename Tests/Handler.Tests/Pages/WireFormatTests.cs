using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Tests.Pages;

/// <summary>The names programs and forms send are the names the API writes: one policy, and the Domain's input rules accept exactly those.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void Every_status_and_kind_the_api_writes_is_one_its_inputs_accept()
    {
        Assert.All(Enum.GetValues<SubmissionStatus>(), s => Assert.Equal(s, SubmissionStatuses.Parse(WireFormat.Name(s)).Value));
        Assert.All(Enum.GetValues<ErrorReportStatus>(), s => Assert.Equal(s, ErrorReportStatuses.Parse(WireFormat.Name(s)).Value));
        Assert.All(Enum.GetValues<TaskKind>(), k => Assert.Equal(k, TaskKinds.Parse(WireFormat.Name(k), "kind").Value));
    }

    [Theory]
    [InlineData(AssignmentState.SubmittedOnTime, "submitted-on-time")]
    [InlineData(SubmissionStatus.InProgress, "in-progress")]
    [InlineData(ErrorReportStatus.InProgress, "in-progress")]
    [InlineData(TaskKind.Statistics, "statistics")]
    public void Enum_names_are_kebab_case_and_read_back<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
    {
        Assert.Equal(name, WireFormat.Name(value));
        Assert.True(WireFormat.TryParse<TEnum>(name, out var back));
        Assert.Equal(value, back);
        Assert.False(WireFormat.TryParse<TEnum>(name.ToUpperInvariant(), out _));
    }
}
