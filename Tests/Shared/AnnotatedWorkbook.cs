using System.IO.Compression;
using System.Xml.Linq;

namespace ServerlessWorkflow.Tests.Domain.Statistics;

/// <summary>Reads back what an annotated workbook says: its comments by cell, and the fill of a cell's style.</summary>
public static class AnnotatedWorkbook
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>The first sheet's comments, by cell, their runs' text joined.</summary>
    public static Dictionary<string, string> Comments(byte[] file)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        var part = zip.Entries.Single(e => e.FullName.StartsWith("xl/comments", StringComparison.Ordinal));
        using var stream = part.Open();
        var comments = XDocument.Load(stream).Root!;
        Assert.Contains(comments.Element(Main + "authors")!.Elements(Main + "author"), a => a.Value == "Kiểm tra số liệu");
        Assert.NotNull(zip.Entries.SingleOrDefault(e => e.FullName.EndsWith(".vml", StringComparison.Ordinal)));
        return comments.Descendants(Main + "comment").ToDictionary(c => (string)c.Attribute("ref")!, c => string.Concat(c.Descendants(Main + "t").Select(t => t.Value)));
    }

    /// <summary>The ARGB colour a cell of the first sheet is filled with, or null when its style has no solid fill.</summary>
    public static string? FillOf(byte[] file, string cell)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        XDocument Load(string name)
        {
            using var s = zip.GetEntry(name)!.Open();
            return XDocument.Load(s);
        }

        var c = Load("xl/worksheets/sheet1.xml").Descendants(Main + "c").FirstOrDefault(e => (string?)e.Attribute("r") == cell);
        var style = (int?)c?.Attribute("s") ?? 0;
        var styles = Load("xl/styles.xml").Root!;
        var xf = styles.Element(Main + "cellXfs")!.Elements(Main + "xf").ElementAt(style);
        var fill = styles.Element(Main + "fills")!.Elements(Main + "fill").ElementAt((int?)xf.Attribute("fillId") ?? 0);
        return fill.Element(Main + "patternFill") is { } pattern && (string?)pattern.Attribute("patternType") == "solid" ? (string?)pattern.Element(Main + "fgColor")?.Attribute("rgb") : null;
    }
}
