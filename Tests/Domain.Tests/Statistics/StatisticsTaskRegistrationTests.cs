using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain.Statistics;

/// <summary>The statistics part of registering a directive: template, rules, coverage and the warning about units counted within others.</summary>
public sealed class StatisticsTaskRegistrationTests
{
    private static readonly UnitTree Tree = new([UnitTreeTests.U("root", 1), UnitTreeTests.U("a", 2, "root"), UnitTreeTests.U("a1", 4, "a"), UnitTreeTests.U("b", 2, "root")]);
    private static readonly ReportTemplate B = TemplateFixtures.Template(TemplateFixtures.B);

    private static Result<Directive> Register(StatisticsInput? statistics, params string[] units) => DirectiveRegistration.Register(
        new DirectiveInput("12-CV/ĐU", "2026-02-05", "Đảng ủy", "Thống kê", [new TaskInput("Báo cáo", "statistics", "2026-02-09", units) { Statistics = statistics }]),
        Tree,
        DirectiveId.New(),
        new DateTimeOffset(2026, 2, 5, 9, 0, 0, TimeSpan.FromHours(7)),
        ServerlessWorkflow.Domain.Calendar.WorkingCalendar.Default,
        id => id == B.Id ? B : id.IsBuiltIn ? ReportTemplate.Official643 : null);

    [Fact]
    public void A_statistics_task_without_a_choice_takes_643s_template_rules_and_whole_branches()
    {
        var spec = Register(null, "a", "b").Value.Tasks[0].Statistics!;

        Assert.Equal(StatisticsSpec.Official643.Template, spec.Template);
        Assert.Equal(TemplateRules.Official643, spec.Rules);
        Assert.Equal(Coverage.Branch, spec.Coverage);
    }

    [Fact]
    public void The_offices_choices_are_kept_with_rows_numbered_as_the_template_numbers_them()
    {
        var spec = Register(new StatisticsInput(B.Id.Value, [(2, 1)], null, "required", "unit"), "a", "a1").Value.Tasks[0].Statistics!;

        Assert.Equal(B.Id, spec.Template);
        Assert.Equal([new RowBound(1, 0)], spec.Rules.Bounds);
        Assert.Equal(BlankCells.Required, spec.Rules.Blanks);
        Assert.Equal(Coverage.Unit, spec.Coverage);
        Assert.Empty(spec.CoveredBy); // each unit reports for itself: nothing is counted twice
    }

    [Fact]
    public void With_whole_branches_a_unit_under_another_assigned_unit_is_covered_by_it_and_the_office_is_warned()
    {
        var directive = Register(null, "root/*").Value;

        var spec = directive.Tasks[0].Statistics!;
        Assert.Equal(UnitId.Parse("root").Value, spec.CoveredBy[UnitId.Parse("a").Value]);
        Assert.Equal(UnitId.Parse("a").Value, spec.CoveredBy[UnitId.Parse("a1").Value]);
        Assert.True(spec.Counts(UnitId.Parse("root").Value));
        Assert.False(spec.Counts(UnitId.Parse("a1").Value));
        var warning = Assert.Single(DirectiveRegistration.Warnings(directive, Tree));
        Assert.Contains("3 đơn vị được giao nằm trong đơn vị khác cũng được giao", warning.Message, StringComparison.Ordinal);
        Assert.Empty(DirectiveRegistration.Warnings(Register(null, "a", "b").Value, Tree));
    }

    [Fact]
    public void An_unknown_template_a_bound_outside_it_a_totals_rule_without_totals_and_unknown_words_are_each_refused_at_their_field()
    {
        var unknown = Register(new StatisticsInput("m000000000000000000000000", null, null, null, null), "a");
        var wrong = Register(new StatisticsInput(B.Id.Value, [(2, 9)], true, "sometimes", "all"), "a");

        Assert.Equal(["tasks[0].template"], unknown.Error!.Fields.Select(f => f.Field));
        Assert.Equal(["tasks[0].coverage", "tasks[0].rules.blanks", "tasks[0].rules.bounds", "tasks[0].rules.totals"], wrong.Error!.Fields.Select(f => f.Field).Order(StringComparer.Ordinal));
    }
}
