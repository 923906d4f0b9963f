#!/usr/bin/env python3
"""Writes the flat OpenDocument sources (.fods) of the three report templates that are not 643's, each
blank (the office's template) and filled three ways (good, wrong, hostile), into the folder given.
scripts/regenerate-libreoffice-fixtures.sh runs it and has LibreOffice Calc save each as .xlsx; the
tests read the .xlsx files. Cells: None = empty, str = text, int/float = number, ('=', formula, value)
= a formula LibreOffice computes, ('span', text, columns, rows) = merged, 'covered' = under a merge."""
import sys
from xml.sax.saxutils import escape

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"')


def cell(value):
    if value is None:
        return '<table:table-cell/>'
    if value == 'covered':
        return '<table:covered-table-cell/>'
    if isinstance(value, tuple) and value[0] == 'span':
        _, text, columns, rows = value
        return (f'<table:table-cell table:style-name="H" table:number-columns-spanned="{columns}" table:number-rows-spanned="{rows}" '
                f'office:value-type="string"><text:p>{escape(text)}</text:p></table:table-cell>')
    if isinstance(value, tuple) and value[0] == '=':
        _, formula, result = value
        return f'<table:table-cell table:formula="of:={escape(formula)}" office:value-type="float" office:value="{result}"/>'
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def document(sheets, widths):
    body = []
    for name, rows in sheets:
        body.append(f'<table:table table:name="{escape(name)}">')
        for w in widths:
            body.append(f'<table:table-column table:style-name="{w}"/>')
        for row in rows:
            body.append('<table:table-row>' + ''.join(cell(v) for v in row) + '</table:table-row>')
        body.append('</table:table>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.2" '
            'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
            '<office:automatic-styles>'
            '<style:style style:name="narrow" style:family="table-column"><style:table-column-properties style:column-width="1.2cm"/></style:style>'
            '<style:style style:name="wide" style:family="table-column"><style:table-column-properties style:column-width="8cm"/></style:style>'
            '<style:style style:name="figure" style:family="table-column"><style:table-column-properties style:column-width="2.6cm"/></style:style>'
            '<style:style style:name="H" style:family="table-cell"><style:table-cell-properties fo:background-color="#dddddd" fo:border="0.5pt solid #000000"/>'
            '<style:text-properties fo:font-weight="bold"/></style:style>'
            '</office:automatic-styles><office:body><office:spreadsheet>' + ''.join(body) + '</office:spreadsheet></office:body></office:document>\n')


# A) 15 rows x 3 columns: 14 categories and a total row, a row of column numbers under the header.
A_ROWS = ['Đảng viên là cán bộ, công chức', 'Đảng viên là viên chức', 'Đảng viên là công nhân', 'Đảng viên là nông dân',
          'Đảng viên là quân nhân', 'Đảng viên là công an', 'Đảng viên là doanh nhân', 'Đảng viên là học sinh, sinh viên',
          'Đảng viên là người hưu trí', 'Đảng viên là người làm tự do', 'Đảng viên là người dân tộc thiểu số',
          'Đảng viên là người có đạo', 'Đảng viên đang ở nước ngoài', 'Đảng viên khác']
A_COLS = ['Đảng viên chính thức', 'Đảng viên dự bị', 'Kết nạp trong năm']


def template_a(figures=None, unit='Đơn vị: ……………………', extra=()):
    rows = [['BÁO CÁO'], ['Số lượng đảng viên theo nghề nghiệp (kèm Công văn số 12-CV/ĐU)'], [unit], [None],
            ['STT', 'Nội dung'] + A_COLS, ['(1)', '(2)', '(3)', '(4)', '(5)']]
    for i, label in enumerate(A_ROWS):
        values = figures[i] if figures else [None] * 3
        rows.append([i + 1, label] + list(values))
    total = figures[len(A_ROWS)] if figures and len(figures) > len(A_ROWS) else [None] * 3
    rows.append([None, 'Tổng cộng'] + list(total))
    rows.extend(extra)
    return rows


# B) A two-row merged header: years over Nam / Nữ; STT and Nội dung merged down; one cell marked "x".
B_ROWS = ['Đảng viên mới kết nạp', 'Trong đó: đoàn viên thanh niên', 'Đảng viên được tặng Huy hiệu Đảng',
          'Đảng viên được miễn sinh hoạt', 'Đảng viên chuyển sinh hoạt đến', 'Đảng viên từ trần']


def template_b(figures=None, unit='Đơn vị: ……………………'):
    rows = [['BÁO CÁO THỐNG KÊ'], ['Biến động đảng viên năm 2025 và 2026'], [unit], [None],
            [('span', 'STT', 1, 2), ('span', 'Nội dung', 1, 2), ('span', 'Năm 2025', 2, 1), 'covered', ('span', 'Năm 2026', 2, 1), 'covered'],
            ['covered', 'covered', 'Nam', 'Nữ', 'Nam', 'Nữ']]
    for i, label in enumerate(B_ROWS):
        values = list(figures[i]) if figures else [None] * 4
        if i == 5 and not figures:
            values[3] = 'x'  # not asked: deaths in 2026 among women (marked "x" by the office)
        rows.append([i + 1, label] + values)
    rows.append([None])
    rows.append(['Người lập biểu'])
    return rows


# C) A list of cells with a total column at the right; the label column is headed "Tên chi bộ".
C_ROWS = ['Chi bộ Văn phòng', 'Chi bộ Phòng Tổ chức', 'Chi bộ Phòng Kế hoạch', 'Chi bộ Phòng Tài vụ', 'Chi bộ Thanh tra',
          'Chi bộ Trung tâm Dữ liệu', 'Chi bộ Ban Quản lý dự án', 'Chi bộ Đội Kiểm tra']
C_COLS = ['Số đảng viên chính thức', 'Số đảng viên dự bị', 'Tổng cộng']


def template_c(figures=None, unit='Đơn vị: ……………………'):
    rows = [['DANH SÁCH CHI BỘ VÀ SỐ ĐẢNG VIÊN'], [unit], [None], ['STT', 'Tên chi bộ'] + C_COLS]
    for i, label in enumerate(C_ROWS):
        values = figures[i] if figures else [None, None, ('=', f'C{5 + i}+D{5 + i}', 0)]
        rows.append([i + 1, label] + list(values))
    return rows


def good_a():
    figures = [[10 + i, i % 3, i % 2] for i in range(14)]
    total = [sum(r[c] for r in figures) for c in range(3)]
    figures[2][2] = 12
    figures[3][1] = 1234
    total = [sum(r[c] for r in figures) for c in range(3)]
    rows = template_a(figures + [total], unit='Đơn vị: Đảng bộ Sở Tài chính')
    rows[8][4] = ' 12 '        # E9: a figure typed as text, with spaces
    rows[9][3] = '1.234'       # D10: a Vietnamese thousands separator, typed as text
    # C21: the total as a formula LibreOffice computes; D21 typed; E21 left blank: computed
    rows[6 + 14][2:5] = [('=', 'SUM(C7:C20)', total[0]), total[1], None]
    return rows


def wrong_a():
    figures = [[10 + i, 1, 0] for i in range(14)]
    rows = template_a(figures + [[999, 14, 5]], unit='Đơn vị: Đảng bộ Sở Tài chính')
    rows[6][2] = -3            # C7: negative
    rows[7][3] = 2.5           # D8: a fraction
    rows[8][3] = 'mười'        # D9: a word
    return rows                # and E21: the total (5) does not add up (0); C21 and D21 have wrong parts, so are not checked


def hostile_a():
    figures = [[1, 0, 0] for _ in range(14)]
    rows = template_a(figures + [[14, 0, 0]], unit='Đơn vị: =HYPERLINK("http://evil.invalid","Bấm vào đây")',
                      extra=[[None, '=cmd|\' /C calc\'!A0', 1e308]])
    rows[10][2] = '1e9'        # C11: exponent notation typed as text
    rows[11][3] = '@SUM(1+1)*cmd|\' /C calc\'!A0'  # D12: a DDE payload typed as text
    return rows


def good_b():
    figures = [[5, 7, 6, 8], [3, 4, 2, 5], [20, 15, 22, 18], [1, 0, 2, 1], [4, 3, 5, 2], [2, 1, 3, None]]
    return template_b(figures, unit='Đơn vị: Đảng bộ Sở Xây dựng')


def wrong_b():
    figures = [[5, 7, 6, 8], [9, 4, 2, 5], [20, None, 22, 18], [1, 0, 2, 1], [4, 3, -5, 2], [2, 1, 3, None]]
    return template_b(figures, unit='Đơn vị: Đảng bộ Sở Xây dựng')  # D8 > D7 (bound), E9 blank (required), F11 negative


def hostile_b():
    figures = [[5, 7, 6, 8], [3, 4, 2, 5], [20, 15, 22, 18], [1, 0, 2, 1], [4, 3, 5, 2], [2, 1, 3, None]]
    rows = template_b(figures, unit='Đơn vị: ' + 'A' * 5000)
    rows[6][2] = 'x' * 30000   # C7: thirty thousand characters
    return rows


def good_c():
    figures = [[10 + i, i % 2, ('=', f'C{5 + i}+D{5 + i}', 10 + i + i % 2)] for i in range(8)]
    return template_c(figures, unit='Đơn vị: Đảng bộ Sở Tài chính')


def wrong_c():
    figures = [[10 + i, i % 2, 10 + i + i % 2] for i in range(8)]
    figures[2][2] = 99         # E7: the total column does not add up
    figures[5][0] = '12,5'     # C10: a decimal comma
    return template_c(figures, unit='Đơn vị: Chi bộ Văn phòng')


def hostile_c():
    figures = [[10 + i, i % 2, None] for i in range(8)]
    figures[0][0] = 99999999999  # C5: beyond any count
    figures[1][1] = ('=', '1/0', 0)
    return template_c(figures, unit='Đơn vị: <script>alert(1)</script>')


# D) 30 rows x 10 columns, for the parse benchmark (bench/statistics-parse.sh): the size of a large real template.
D_COLS = ['Tổng số', 'Nam', 'Nữ', 'Dân tộc thiểu số', 'Tôn giáo', 'Dưới 30 tuổi', 'Từ 30 đến 50 tuổi', 'Trên 50 tuổi', 'Đại học trở lên', 'Lý luận cao cấp']


def template_d(figures=None):
    rows = [['BÁO CÁO'], ['Chất lượng đội ngũ đảng viên theo đơn vị'], ['Đơn vị: ……………………'], [None], ['STT', 'Nội dung'] + D_COLS]
    for i in range(30):
        rows.append([i + 1, f'Đảng bộ cơ sở số {i + 1}'] + (list(figures[i]) if figures else [None] * 10))
    return rows


def good_d():
    figures = []
    for i in range(30):
        men, women = 20 + i, 10 + (i % 7)
        figures.append([men + women, men, women, i % 5, i % 3, 5 + i % 4, 15 + i % 6, 10 + i % 5, 12 + i % 9, i % 4])
    return template_d(figures)


if __name__ == '__main__':
    out = sys.argv[1]
    files = {
        'mau-a-15x3-dong-tong': ([('Mẫu', template_a())], ['narrow', 'wide', 'figure', 'figure', 'figure']),
        'mau-a-dung': ([('Mẫu', good_a()), ('Ghi chú', [['Số liệu lấy từ phần mềm quản lý đảng viên']])], ['narrow', 'wide', 'figure', 'figure', 'figure']),
        'mau-a-sai': ([('Mẫu', wrong_a())], ['narrow', 'wide', 'figure', 'figure', 'figure']),
        'mau-a-doc-hai': ([('Mẫu', hostile_a())], ['narrow', 'wide', 'figure', 'figure', 'figure']),
        'mau-b-tieu-de-hai-dong': ([('Biến động', template_b())], ['narrow', 'wide', 'figure', 'figure', 'figure', 'figure']),
        'mau-b-dung': ([('Biến động', good_b())], ['narrow', 'wide', 'figure', 'figure', 'figure', 'figure']),
        'mau-b-sai': ([('Biến động', wrong_b())], ['narrow', 'wide', 'figure', 'figure', 'figure', 'figure']),
        'mau-b-doc-hai': ([('Biến động', hostile_b())], ['narrow', 'wide', 'figure', 'figure', 'figure', 'figure']),
        'mau-c-danh-sach-cot-tong': ([('Danh sách', template_c())], ['narrow', 'wide', 'figure', 'figure', 'figure']),
        'mau-c-dung': ([('Danh sách', good_c())], ['narrow', 'wide', 'figure', 'figure', 'figure']),
        'mau-c-sai': ([('Danh sách', wrong_c())], ['narrow', 'wide', 'figure', 'figure', 'figure']),
        'mau-c-doc-hai': ([('Danh sách', hostile_c())], ['narrow', 'wide', 'figure', 'figure', 'figure']),
        'mau-d-30x10': ([('Chất lượng', template_d())], ['narrow', 'wide'] + ['figure'] * 10),
        'mau-d-dung': ([('Chất lượng', good_d())], ['narrow', 'wide'] + ['figure'] * 10),
    }
    for name, (sheets, widths) in files.items():
        with open(f'{out}/{name}.fods', 'w', encoding='utf-8') as f:
            f.write(document(sheets, widths))
