#!/usr/bin/env python3
"""Writes Fixtures/quirks/seed000_writer_quirks.xlsx: the blank seed-000 table (得分 column empty) with the
writer quirks that jixiao's fill must cope with, all in one workbook, written with Python's zipfile only:

- the table is the second sheet, its part under an unusual path with spaces (`xl/Tables 2023/sheet 2.xml`; the
  target is not percent-escaped: LibreOffice 7.4 does not decode `%20` in targets), after a cover sheet;
- every element prefixed (`x:`), no `<dimension>`;
- rows out of order (a fixed shuffle) and one row element repeated (empty), as some exporters leave them;
- cells after the first of a row without `r` (their position follows the previous cell), cells of one row out of
  column order;
- 得分 cells missing in most rows (they must be inserted), present and styled in others; one row with a row style
  (`customFormat`), which an inserted cell takes;
- shared strings with rich-text runs;
- the 合计 row: 100% and 100分 as text.

The reader accepts all of it (rows and cells sorted, the later repeat winning); fill must put each score where the
reader reads it and leave every other part byte for byte. Usage: python3 scripts/make-quirks-fixture.py
"""
import json
import os
import random
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "Fixtures/golden/grids/seed000_project_framework_blank.xlsx.json")
OUT = os.path.join(ROOT, "Fixtures/quirks/seed000_writer_quirks.xlsx")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SCORE_COL = 5  # F


def col_name(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def main():
    with open(GOLDEN, encoding="utf-8") as f:
        sheet = json.load(f)["sheets"][0]
    rows = sheet["rows"]
    merged = sheet["merged"]
    total = len(rows) - 1

    strings, index = [], {}

    def sst(v):
        if v not in index:
            index[v] = len(strings)
            strings.append(v)
        return index[v]

    row_xml = []
    for r, values in enumerate(rows):
        cells = []
        prev = None
        for c, v in enumerate(values):
            score = c == SCORE_COL and 2 <= r < total
            if score and r % 4 != 0:
                prev = None
                continue  # a missing 得分 cell
            style = 0 if r < 2 else (2 if c in (4, 5) else 1)
            # `r` only on the first cell of a run (implicit positions follow the previous cell).
            ref = "" if prev == c - 1 else f' r="{col_name(c)}{r + 1}"'
            if v is None:
                cells.append(f'<x:c{ref} s="{style}"/>')
            elif isinstance(v, (int, float)):
                cells.append(f'<x:c{ref} s="{style}"><x:v>{v}</x:v></x:c>')
            else:
                cells.append(f'<x:c{ref} s="{style}" t="s"><x:v>{sst(v)}</x:v></x:c>')
            prev = c
        if r == 7:
            # Cells out of column order: the last two swapped, both with `r`.
            a, b = cells[-2], cells[-1]
            a = a if ' r="' in a else a.replace("<x:c", f'<x:c r="{col_name(len(values) - 2)}{r + 1}"', 1)
            b = b if ' r="' in b else b.replace("<x:c", f'<x:c r="{col_name(len(values) - 1)}{r + 1}"', 1)
            cells[-2:] = [b, a]
        attrs = f' r="{r + 1}"'
        if r == 9:
            attrs += ' s="2" customFormat="1"'  # an inserted 得分 cell takes the row's style
        row_xml.append(f"<x:row{attrs}>" + "".join(cells) + "</x:row>")
    order = list(range(len(row_xml)))
    random.Random(2024).shuffle(order)
    body = "".join(row_xml[i] for i in order) + f'<x:row r="{order[0] + 1}"/>'  # a repeated, empty row element

    merge_xml = f'<x:mergeCells count="{len(merged)}">' + "".join(f'<x:mergeCell ref="{m}"/>' for m in merged) + "</x:mergeCells>"
    table = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<x:worksheet xmlns:x="{MAIN}" xmlns:r="{REL}">'
             '<x:sheetViews><x:sheetView workbookViewId="0"/></x:sheetViews><x:sheetFormatPr defaultRowHeight="15"/>'
             '<x:cols><x:col min="1" max="9" width="16" customWidth="1"/></x:cols>'
             f"<x:sheetData>{body}</x:sheetData>{merge_xml}"
             '<x:pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></x:worksheet>')
    cover = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
             '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>2023年度项目支出绩效自评报告</x:t></x:is></x:c></x:row>'
             "</x:sheetData></x:worksheet>")

    def rich(s):
        if len(s) < 2:
            return f"<x:si><x:t>{escape(s)}</x:t></x:si>"
        return (f"<x:si><x:r><x:rPr><x:b/></x:rPr><x:t>{escape(s[:1])}</x:t></x:r>"
                f'<x:r><x:t xml:space="preserve">{escape(s[1:])}</x:t></x:r></x:si>')

    shared = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<x:sst xmlns:x="{MAIN}" count="{len(strings)}" '
              f'uniqueCount="{len(strings)}">' + "".join(rich(s) for s in strings) + "</x:sst>")
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<x:styleSheet xmlns:x="{MAIN}">'
              '<x:fonts count="1"><x:font><x:sz val="11"/><x:name val="宋体"/></x:font></x:fonts>'
              '<x:fills count="2"><x:fill><x:patternFill patternType="none"/></x:fill><x:fill><x:patternFill patternType="gray125"/></x:fill></x:fills>'
              '<x:borders count="2"><x:border><x:left/><x:right/><x:top/><x:bottom/><x:diagonal/></x:border>'
              '<x:border><x:left style="thin"/><x:right style="thin"/><x:top style="thin"/><x:bottom style="thin"/><x:diagonal/></x:border></x:borders>'
              '<x:cellStyleXfs count="1"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></x:cellStyleXfs>'
              '<x:cellXfs count="3"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              '<x:xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1"><x:alignment wrapText="1" vertical="center"/></x:xf>'
              '<x:xf numFmtId="2" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyNumberFormat="1"/></x:cellXfs>'
              '<x:cellStyles count="1"><x:cellStyle name="Normal" xfId="0" builtinId="0"/></x:cellStyles></x:styleSheet>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<x:workbook xmlns:x="{MAIN}" xmlns:r="{REL}">'
                '<x:bookViews><x:workbookView activeTab="1"/></x:bookViews><x:sheets>'
                '<x:sheet name="封面" sheetId="1" r:id="rId1"/><x:sheet name="附件2" sheetId="2" r:id="rId2"/></x:sheets>'
                "<x:definedNames><x:definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">'附件2'!$1:$2</x:definedName>"
                '</x:definedNames><x:calcPr calcId="191029"/></x:workbook>')
    wb_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
               f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/cover.xml"/>'
               f'<Relationship Id="rId2" Type="{REL}/worksheet" Target="Tables 2023/sheet 2.xml"/>'
               f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
               f'<Relationship Id="rId4" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    root_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
                 f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             f'<Override PartName="/xl/worksheets/cover.xml" ContentType="{SHEET_CT}"/>'
             f'<Override PartName="/xl/Tables%202023/sheet%202.xml" ContentType="{SHEET_CT}"/>'
             '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
             '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
             "</Types>")
    parts = [("[Content_Types].xml", types), ("_rels/.rels", root_rels), ("xl/workbook.xml", workbook),
             ("xl/_rels/workbook.xml.rels", wb_rels), ("xl/worksheets/cover.xml", cover), ("xl/Tables 2023/sheet 2.xml", table),
             ("xl/styles.xml", styles), ("xl/sharedStrings.xml", shared)]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # UTF-8 names
            z.writestr(info, text.encode("utf-8"))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
