using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>Numbers compared as a clerk would, the request's fingerprint for Idempotency-Key, and keys scoped to their caller.</summary>
public sealed class RegistrationSafetyTests
{
    private static readonly UnitTree Tree = new([UnitTreeTests.U("root", 1), UnitTreeTests.U("a", 2, "root")]);
    private static readonly DateTimeOffset Now = new(2026, 2, 5, 9, 0, 0, TimeSpan.FromHours(7));

    private static Directive Registered(string number, string issuedOn) =>
        DirectiveRegistration.Register(new DirectiveInput(number, issuedOn, "Đảng ủy", "Trích yếu", [new TaskInput("Việc", "confirmation", "2026-03-01", ["a"])]), Tree, DirectiveId.New(), Now, WorkingCalendar.Default).Value;

    [Theory]
    [InlineData("643-CV/ĐU", "643 - cv/đu")]
    [InlineData("643-CV/ĐU", "643–CV/DU")]
    [InlineData("12-KH/ĐU", " 12 -  KH / Đu ")]
    public void Numbers_that_differ_only_in_case_diacritics_spaces_or_dashes_are_one_number(string a, string b) =>
        Assert.Equal(DirectiveNumbers.Normalize(a), DirectiveNumbers.Normalize(b));

    [Fact]
    public void Another_number_is_another_number() =>
        Assert.NotEqual(DirectiveNumbers.Normalize("643-CV/ĐU"), DirectiveNumbers.Normalize("634-CV/ĐU"));

    [Fact]
    public void A_number_is_already_used_by_another_directive_of_the_same_year_only()
    {
        var earlier = Registered("643-CV/ĐU", "2026-02-05");
        var lastYear = Registered("643-CV/ĐU", "2025-02-05");
        var other = Registered("644-CV/ĐU", "2026-02-05");

        var same = DirectiveNumbers.SameNumber("643 - cv/đu", new DateOnly(2026, 3, 1), [earlier, lastYear, other]);

        Assert.Equal([earlier], same);
        Assert.Empty(DirectiveNumbers.SameNumber("643-CV/ĐU", new DateOnly(2026, 3, 1), [earlier], except: earlier.Id));
        Assert.Contains("công văn số 643-CV/ĐU ngày 05/02/2026 về “Trích yếu”", DirectiveNumbers.Warning("643 - cv/đu", same), StringComparison.Ordinal);
    }

    private static DirectiveInput Input(string title = "Việc", bool remind = true, StatisticsInput? statistics = null) =>
        new("643-CV/ĐU", "2026-02-05", "Đảng ủy", "Trích yếu", [new TaskInput(title, "statistics", "2026-03-01", ["a", "b"], null, null, remind) { Statistics = statistics }]);

    [Fact]
    public void The_same_request_has_the_same_fingerprint_and_any_field_changed_another()
    {
        var stats = new StatisticsInput("643", [(2, 1)], true, "zero", "branch");
        var fingerprint = RegistrationFingerprint.Of(Input(statistics: stats));

        Assert.Equal(fingerprint, RegistrationFingerprint.Of(Input(statistics: stats with { Bounds = [(2, 1)] })));
        DirectiveInput[] changed =
        [
            Input("Việc khác", statistics: stats),
            Input(remind: false, statistics: stats),
            Input(statistics: stats with { Bounds = [(3, 1)] }),
            Input(statistics: stats with { Totals = false }),
            Input(statistics: stats with { Coverage = "unit" }),
            Input(statistics: null),
            Input(statistics: stats) with { Number = "644-CV/ĐU" },
            Input(statistics: stats) with { Tasks = [.. Input(statistics: stats).Tasks!, new TaskInput("Việc", "confirmation", "2026-03-01", ["a"])] },
            Input(statistics: stats) with { Tasks = [Input(statistics: stats).Tasks![0] with { Units = ["a"] }] },
            Input(statistics: stats) with { Tasks = [Input(statistics: stats).Tasks![0] with { Units = ["ab"] }] },
            Input(statistics: stats) with { Tasks = [Input(statistics: stats).Tasks![0] with { Roles = ["chu-tri"] }] },
            Input(statistics: stats) with { Tasks = [Input(statistics: stats).Tasks![0] with { Roles = ["phoi-hop", "chu-tri"] }] },
            Input(statistics: stats) with { Tasks = [Input(statistics: stats).Tasks![0] with { Deadline = null }] },
        ];
        Assert.Equal(changed.Length + 1, changed.Select(RegistrationFingerprint.Of).Append(fingerprint).Distinct().Count());
    }

    /// <summary>A field added to the input must join the fingerprint, or two different requests with one key would read as the same.</summary>
    [Fact]
    public void The_fingerprint_covers_every_field_of_the_input()
    {
        static string[] Names(Type t) => [.. t.GetProperties().Where(p => p.Name != "EqualityContract").Select(p => p.Name).Order()];

        Assert.Equal(["IssuedOn", "Issuer", "Number", "Subject", "Tasks"], Names(typeof(DirectiveInput)));
        Assert.Equal(["CountFrom", "Deadline", "Kind", "Remind", "Roles", "Statistics", "Title", "Units", "WorkingDays"], Names(typeof(TaskInput)));
        Assert.Equal(["Blanks", "Bounds", "Coverage", "Template", "Totals"], Names(typeof(StatisticsInput)));
    }

    [Fact]
    public void A_key_belongs_to_its_caller_and_must_be_short_visible_ascii()
    {
        var mine = IdempotencyKey.Parse("lan-1", new AuditActor(ActorKind.Account, "vanphong", "Văn phòng")).Value;
        var theirs = IdempotencyKey.Parse("lan-1", new AuditActor(ActorKind.ProgramKey, "k1", "Chương trình")).Value;

        Assert.NotEqual(mine.Scope, theirs.Scope);
        Assert.False(IdempotencyKey.Parse("", AuditActor.System).IsSuccess);
        Assert.False(IdempotencyKey.Parse("khóa", AuditActor.System).IsSuccess);
        Assert.False(IdempotencyKey.Parse(new string('k', IdempotencyKey.MaxLength + 1), AuditActor.System).IsSuccess);
        Assert.Equal("Idempotency-Key", IdempotencyKey.Parse(null, AuditActor.System).Error!.Fields[0].Field);
    }
}
