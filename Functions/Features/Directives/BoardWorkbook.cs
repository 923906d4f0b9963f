using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using DomainText = ServerlessWorkflow.Domain.Common.Text;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// A directive's board as an .xlsx workbook (written with the Open XML SDK) for offices that keep
/// their own tables. Sheet "Theo dõi": one row per unit (as the board's filters and order have it),
/// per task its state in words, the day it was completed (a date cell, dd/mm/yyyy, Vietnam day), the
/// days late or overdue (a number, in the unit the office counts lateness in) and the furthest reminder or escalation step; the header row frozen
/// and filterable. Sheet "Nhiệm vụ": each task with its deadline (a date) and counts. Every piece of
/// text is an inline string, never a formula: a unit named "=1+1" stays text in Excel and LibreOffice.
/// </summary>
public static class BoardWorkbook
{
    private const uint Bold = 1;
    private const uint Date = 2;
    private const uint Header = 3;
    private const int HeaderRow = 5;
    private static readonly int[] TaskWidths = [22, 14, 12, 30];

    public static byte[] Write(DirectiveBoard board, DayCount days, DateTimeOffset at)
    {
        var d = board.Directive;
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();

            var columns = 4 + d.Tasks.Count * 4;
            var rows = new List<Row>
            {
                Line(1, Bold, $"BẢNG THEO DÕI THỰC HIỆN CÔNG VĂN SỐ {d.Number} NGÀY {VietnamTime.Format(d.IssuedOn)}"),
                Line(2, 0, $"{d.Issuer} — {d.Subject}"),
                Line(3, 0, $"Tình hình lúc {VietnamTime.FormatDateTime(at)}; {board.Rows.Count.ToString(CultureInfo.InvariantCulture)} đơn vị."),
                Line(4, 0, string.Join("   ", d.Tasks.Select((t, i) => $"NV{(i + 1).ToString(CultureInfo.InvariantCulture)}: {t.Title} ({t.DeadlineText})"))),
            };
            var header = new List<(object? Value, uint Style)> { ("STT", Header), ("Đơn vị", Header), ("Mã đơn vị", Header), ("Cấp", Header) };
            for (var i = 1; i <= d.Tasks.Count; i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                header.AddRange([($"NV{n}: tình trạng", Header), ($"NV{n}: ngày hoàn thành", Header), ($"NV{n}: số {days.UnitName} chậm", Header), ($"NV{n}: bước đôn đốc", Header)]);
            }

            rows.Add(Cells(HeaderRow, header));
            var number = HeaderRow;
            foreach (var (row, index) in board.Rows.Select((r, i) => (r, i)))
            {
                var cells = new List<(object? Value, uint Style)>
                {
                    (index + 1, 0), (row.Name, 0), (row.UnitId.Value, 0), (row.Unit is null ? string.Empty : row.Unit.LevelOrKindName, 0),
                };
                foreach (var cell in row.Cells)
                {
                    cells.AddRange(cell is null
                        ? [("—", 0), (null, 0), (null, 0), (null, 0)]
                        : [(Shared.Pages.StandingText.Words(cell.Standing, days.UnitName, cell.Task), 0), (cell.Standing.CompletedAt is { } done ? VietnamTime.DateOf(done) : null, Date), (cell.Standing.DaysOverdue > 0 ? cell.Standing.DaysOverdue : null, 0), (cell.Reached?.DisplayName, 0)]);
                }

                rows.Add(Cells(++number, cells));
            }

            var last = Domain.Statistics.SpreadsheetReader.CellName(Math.Max(number, HeaderRow), columns);
            var sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new Worksheet(
                new SheetViews(new SheetView(new Pane { HorizontalSplit = 2, VerticalSplit = HeaderRow, TopLeftCell = "C6", ActivePane = PaneValues.BottomRight, State = PaneStateValues.Frozen }) { WorkbookViewId = 0 }),
                Widths([6, 40, 22, 22, .. Enumerable.Range(0, d.Tasks.Count).SelectMany(_ => TaskWidths)]),
                new SheetData(rows),
                new AutoFilter { Reference = $"A{HeaderRow.ToString(CultureInfo.InvariantCulture)}:{last}" });

            var tasks = workbook.AddNewPart<WorksheetPart>();
            tasks.Worksheet = new Worksheet(Widths([6, 60, 22, 14, 12, 12, 12, 12, 14]), new SheetData(TaskRows(board, at)));

            workbook.Workbook.Append(
                new Sheets(
                    new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "Theo dõi" },
                    new Sheet { Id = workbook.GetIdOfPart(tasks), SheetId = 2, Name = "Nhiệm vụ" }),
                new DefinedNames(new DefinedName($"'Theo dõi'!$A${HeaderRow.ToString(CultureInfo.InvariantCulture)}:${last.Replace(Digits(last), "$" + Digits(last), StringComparison.Ordinal)}") { Name = "_xlnm._FilterDatabase", LocalSheetId = 0, Hidden = true }));
        }

        return stream.ToArray();
    }

    private static IEnumerable<Row> TaskRows(DirectiveBoard board, DateTimeOffset at)
    {
        yield return Cells(1, [("STT", Header), ("Nhiệm vụ", Header), ("Loại", Header), ("Hạn", Header), ("Số đơn vị", Header), ("Đúng hạn", Header), ("Muộn", Header), ("Quá hạn", Header), ("Chưa đến hạn", Header)]);
        var row = 1;
        foreach (var (task, i) in board.Directive.Tasks.Select((t, i) => (t, i)))
        {
            var states = board.Rows.Select(r => i < r.Cells.Count ? r.Cells[i]?.Standing.State : null).OfType<AssignmentState>().ToList();
            int Count(AssignmentState s) => states.Count(x => x == s);
            yield return Cells(++row, [
                (i + 1, 0), (task.Title, 0), (TaskKinds.Name(task.Kind), 0), task.Cancelled is not null ? ("Đã hủy", 0) : task.Deadline is { } due ? (due.LastDay, Date) : ("không có hạn", 0), (states.Count, 0),
                (Count(AssignmentState.SubmittedOnTime), 0), (Count(AssignmentState.SubmittedLate), 0), (Count(AssignmentState.Overdue), 0), (Count(AssignmentState.Pending), 0)]);
        }

        yield return Line(row + 2, 0, $"Số liệu lúc {VietnamTime.FormatDateTime(at)}, trên các đơn vị của bảng theo dõi.");
    }

    private static Row Line(int number, uint style, string text) => Cells(number, [(text, style)]);

    private static Row Cells(int number, List<(object? Value, uint Style)> values)
    {
        var row = new Row { RowIndex = (uint)number };
        for (var i = 0; i < values.Count; i++)
        {
            var (value, style) = values[i];
            if (value is null)
            {
                continue;
            }

            var reference = Domain.Statistics.SpreadsheetReader.CellName(number, i + 1);
            row.Append(value switch
            {
                int n => new Cell { CellReference = reference, StyleIndex = style, CellValue = new CellValue(n) },
                DateOnly date => new Cell { CellReference = reference, StyleIndex = style, CellValue = new CellValue(date.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(CultureInfo.InvariantCulture)) },
                _ => new Cell
                {
                    CellReference = reference,
                    StyleIndex = style,
                    DataType = CellValues.InlineString,
                    InlineString = new InlineString(new Text(DomainText.ForXml(value.ToString() ?? string.Empty)) { Space = SpaceProcessingModeValues.Preserve }),
                },
            });
        }

        return row;
    }

    private static Columns Widths(int[] widths) =>
        new(widths.Select((w, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true }));

    private static string Digits(string reference) => new(reference.Where(char.IsAsciiDigit).ToArray());

    /// <summary>Fonts: regular, bold. Cell formats: 0 plain, 1 bold, 2 date dd/mm/yyyy, 3 bold wrapped (headers).</summary>
    private static Stylesheet Styles() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "dd/mm/yyyy" }) { Count = 1 },
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Times New Roman" }), new Font(new DocumentFormat.OpenXml.Spreadsheet.Bold(), new FontSize { Val = 11 }, new FontName { Val = "Times New Roman" })) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Center }) { FontId = 1, ApplyFont = true, ApplyAlignment = true }) { Count = 4 });
}
