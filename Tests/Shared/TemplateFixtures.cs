using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Domain.Statistics;

/// <summary>The report templates that are not 643's and units' uploads of them, as LibreOffice wrote them (Tests/Fixtures/templates).</summary>
public static class TemplateFixtures
{
    public const string A = "mau-a-15x3-dong-tong";
    public const string B = "mau-b-tieu-de-hai-dong";
    public const string C = "mau-c-danh-sach-cot-tong";

    public static byte[] File(string name) => System.IO.File.ReadAllBytes(Repository.Fixture("templates", name + ".xlsx"));

    public static ReportTemplate Template(string name) => TemplateReader.Read(File(name)).Value;
}
