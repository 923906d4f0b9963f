using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

public sealed class UnitImportTests
{
    [Fact]
    public void A_csv_with_semicolons_a_bom_quoted_fields_and_parents_defined_later_plans_creates()
    {
        var csv = "\uFEFFid;name;level;parent;email\r\n" +
                  "chi-bo-1;\"Chi bộ 1; phòng A\";4;dang-bo;cb1@example.invalid\r\n" +
                  "dang-bo;Đảng bộ Sở;2;;db@example.invalid\r\n";

        var plan = UnitImport.Plan(csv, []).Value;

        Assert.True(plan.CanApply);
        Assert.Equal(2, plan.Count(ImportAction.Create));
        Assert.Equal("Chi bộ 1; phòng A", plan.Lines[0].Unit!.Name);
    }

    [Fact]
    public void Existing_units_are_updated_or_left_unchanged()
    {
        var existing = UnitTreeTests.U("dang-bo", 2);
        var csv = "id,name,level,parent,email\n" +
                  $"dang-bo,{existing.Name},2,,{existing.Email}\n" +
                  "chi-bo,Chi bộ mới,4,dang-bo,new@example.invalid\n";

        var plan = UnitImport.Plan(csv, [existing]).Value;

        Assert.Equal([ImportAction.Unchanged, ImportAction.Create], plan.Lines.Select(l => l.Action));
    }

    [Fact]
    public void Vietnamese_headers_are_understood()
    {
        var plan = UnitImport.Plan("Mã đơn vị,Tên đơn vị,Cấp,Cấp trên,Email\nx,Tên,2,,x@example.invalid\n", []).Value;

        Assert.Equal(ImportAction.Create, Assert.Single(plan.Lines).Action);
    }

    [Fact]
    public void Bad_lines_are_reported_with_their_line_number_and_block_applying()
    {
        var csv = "id,name,level,parent,email\n" +
                  "ok,Tốt,2,,ok@example.invalid\n" +
                  "Bad/Id,Xấu,2,,bad@example.invalid\n" +
                  "orphan,Mồ côi,4,missing,o@example.invalid\n" +
                  "ok,Trùng,2,,dup@example.invalid\n";

        var plan = UnitImport.Plan(csv, []).Value;

        Assert.False(plan.CanApply);
        Assert.Equal([3, 4, 5], plan.Lines.Where(l => l.Action == ImportAction.Invalid).Select(l => l.Line));
        Assert.Contains(plan.Lines[2].Errors, e => e.Code == "missing-parent");
        Assert.Contains(plan.Lines[3].Errors, e => e.Code == "duplicate-id");
    }

    [Fact]
    public void A_cycle_formed_across_lines_is_refused()
    {
        var csv = "id,name,level,parent,email\nx,X,3,y,x@example.invalid\ny,Y,4,x,y@example.invalid\n";

        var plan = UnitImport.Plan(csv, []).Value;

        Assert.False(plan.CanApply);
    }

    [Fact]
    public void A_file_without_the_required_columns_says_which_are_missing()
    {
        var plan = UnitImport.Plan("id,name\nx,X\n", []);

        Assert.Contains("level", plan.Error!.Fields[0].Message, StringComparison.Ordinal);
        Assert.Contains("email", plan.Error.Fields[0].Message, StringComparison.Ordinal);
    }
}
