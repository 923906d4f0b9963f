using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

public sealed class SubmissionTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly Deadline Due = Deadline.EndOfDay(new DateOnly(2026, 2, 25));
    private static readonly DirectiveId Directive = DirectiveId.New();
    private static readonly TaskId Task1 = TaskId.ForIndex(0);
    private static readonly UnitId Unit1 = UnitId.Parse("chi-bo-1").Value;

    private static SubmissionVersion V(DateTimeOffset at, SubmissionStatus status, string note = "") =>
        new(Guid.NewGuid().ToString("N"), Directive, Task1, Unit1, at, status, note, Due.HasPassed(at), []);

    [Theory]
    [InlineData("done", SubmissionStatus.Done)]
    [InlineData("in-progress", SubmissionStatus.InProgress)]
    public void The_status_is_done_or_in_progress(string text, SubmissionStatus status)
    {
        Assert.Equal(status, SubmissionInput.Create(text, null).Value.Status);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("finished", "invalid-status")]
    [InlineData("DONE", "invalid-status")]
    public void Any_other_status_is_a_field_error(string? text, string code)
    {
        Assert.Equal(code, Assert.Single(SubmissionInput.Create(text, "").Error!.Fields).Code);
    }

    [Fact]
    public void A_note_keeps_its_lines_but_not_other_control_characters_and_has_a_limit()
    {
        Assert.Equal("dòng 1\ndòng 2", SubmissionInput.Create("done", "dòng 1\r\ndòng 2").Value.Note);
        Assert.Equal("control-character", SubmissionInput.Create("done", "a\u0007b").Error!.Fields[0].Code);
        Assert.Equal("too-long", SubmissionInput.Create("done", new string('x', SubmissionInput.MaxNoteLength + 1)).Error!.Fields[0].Code);
    }

    [Fact]
    public void Broken_UTF_16_and_non_characters_are_a_field_error_not_a_failure()
    {
        // Built here, not as theory data: a lone surrogate does not survive the test runner's serialisation.
        foreach (var note in new[] { "a\uD800b", "a\uDC00", "a\uD800", "a\uFFFE", "a\uFFFF" })
        {
            Assert.Equal("invalid-character", SubmissionInput.Create("done", note).Error!.Fields[0].Code);
        }
    }

    [Fact]
    public void An_emoji_a_surrogate_pair_is_kept()
    {
        Assert.Equal("xong 👍", SubmissionInput.Create("done", "xong 👍").Value.Note);
    }

    [Fact]
    public void The_same_idempotency_key_derives_the_same_version_id_whatever_the_time_or_content()
    {
        var input = SubmissionInput.Create("done", "a").Value;
        var other = SubmissionInput.Create("in-progress", "b").Value;

        Assert.Equal(
            SubmissionVersion.DeriveId(Directive, Task1, Unit1, input, "key-1", new DateTimeOffset(2026, 2, 20, 1, 0, 0, Vn)),
            SubmissionVersion.DeriveId(Directive, Task1, Unit1, other, "key-1", new DateTimeOffset(2026, 2, 21, 1, 0, 0, Vn)));
        Assert.NotEqual(
            SubmissionVersion.DeriveId(Directive, Task1, Unit1, input, "key-1", Due.PassesAt),
            SubmissionVersion.DeriveId(Directive, Task1, Unit1, input, "key-2", Due.PassesAt));
    }

    [Fact]
    public void Without_a_key_the_same_content_in_the_same_window_derives_the_same_id_and_different_content_does_not()
    {
        var at = new DateTimeOffset(2026, 2, 20, 10, 0, 0, TimeSpan.Zero);
        var input = SubmissionInput.Create("done", "xong").Value;

        Assert.Equal(SubmissionVersion.DeriveId(Directive, Task1, Unit1, input, null, at), SubmissionVersion.DeriveId(Directive, Task1, Unit1, input, null, at.AddSeconds(5)));
        Assert.NotEqual(SubmissionVersion.DeriveId(Directive, Task1, Unit1, input, null, at), SubmissionVersion.DeriveId(Directive, Task1, Unit1, SubmissionInput.Create("done", "khác").Value, null, at));
        Assert.Equal(32, SubmissionVersion.DeriveId(Directive, Task1, Unit1, input, null, at).Length);
    }

    [Fact]
    public void A_version_repeats_the_same_content_posted_again_within_the_window_only()
    {
        var at = new DateTimeOffset(2026, 2, 20, 10, 0, 0, Vn);
        var version = V(at, SubmissionStatus.Done, "xong");
        var input = SubmissionInput.Create("done", "xong").Value;

        Assert.True(version.Repeats(input, at.AddSeconds(29)));
        Assert.False(version.Repeats(input, at.AddSeconds(30)));
        Assert.False(version.Repeats(SubmissionInput.Create("in-progress", "xong").Value, at.AddSeconds(1)));
    }

    [Fact]
    public void Nothing_sent_is_pending_before_the_deadline_and_overdue_from_the_moment_it_passes()
    {
        Assert.Equal(AssignmentState.Pending, AssignmentStanding.Evaluate(Due, [], new DateTimeOffset(2026, 2, 25, 23, 59, 59, Vn)).State);
        var overdue = AssignmentStanding.Evaluate(Due, [], new DateTimeOffset(2026, 2, 26, 0, 0, 0, Vn));
        Assert.Equal(AssignmentState.Overdue, overdue.State);
        Assert.Equal(1, overdue.DaysOverdue);
    }

    [Fact]
    public void Done_at_23_59_59_is_on_time_and_done_at_midnight_is_late()
    {
        var now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, Vn);

        Assert.Equal(AssignmentState.SubmittedOnTime, AssignmentStanding.Evaluate(Due, [V(new DateTimeOffset(2026, 2, 25, 23, 59, 59, Vn), SubmissionStatus.Done)], now).State);
        Assert.Equal(AssignmentState.SubmittedLate, AssignmentStanding.Evaluate(Due, [V(new DateTimeOffset(2026, 2, 26, 0, 0, 0, Vn), SubmissionStatus.Done)], now).State);
    }

    [Fact]
    public void In_progress_is_not_done_and_the_latest_version_counts()
    {
        var now = new DateTimeOffset(2026, 2, 27, 9, 0, 0, Vn);
        var early = V(new DateTimeOffset(2026, 2, 20, 9, 0, 0, Vn), SubmissionStatus.Done);
        var reopened = V(new DateTimeOffset(2026, 2, 21, 9, 0, 0, Vn), SubmissionStatus.InProgress);

        Assert.Equal(AssignmentState.Overdue, AssignmentStanding.Evaluate(Due, [early, reopened], now).State);
        Assert.Equal(2, AssignmentStanding.Evaluate(Due, [early, reopened], now).Versions);
    }

    [Fact]
    public void Sending_done_again_after_the_deadline_to_correct_a_note_keeps_an_on_time_completion()
    {
        var onTime = V(new DateTimeOffset(2026, 2, 24, 9, 0, 0, Vn), SubmissionStatus.Done, "xong");
        var correction = V(new DateTimeOffset(2026, 2, 27, 9, 0, 0, Vn), SubmissionStatus.Done, "xong, bổ sung danh sách");

        var standing = AssignmentStanding.Evaluate(Due, [correction, onTime], new DateTimeOffset(2026, 2, 28, 0, 0, 0, Vn));

        Assert.Equal(AssignmentState.SubmittedOnTime, standing.State);
        Assert.Equal(onTime.At, standing.CompletedAt);
        Assert.Same(correction, standing.Latest);
    }
}
