#!/usr/bin/env python3
"""Writes Fixtures/rich/seed000_rich.xlsx: the seed-000 project table (得分 column blank) as a department would
keep it in Excel, with the things other tools lose when they save a workbook:

- an embedded PNG image (xl/media, a drawing part),
- a column chart of the 分值 column (xl/charts),
- a data-validation drop-down list (审核结论: 通过/不通过) and a decimal validation on the 得分 cells,
- conditional formatting on the 得分 column,
- shared strings (xlsxwriter's default), cell formats, a defined name, a second sheet 说明,
- a live formula in the 合计 得分 cell (=SUM(F3:F34)).

jixiao's fill must give all of it back unchanged; only the score cells may change.

Usage (xlsxwriter in a venv):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install xlsxwriter
    /tmp/venv/bin/python scripts/make-rich-fixture.py
The cell texts come from the independent golden grid of seed000_project_framework_blank.xlsx, so the table
reads exactly like the seed fixture. xlsxwriter writes fixed timestamps, so the output is reproducible.
"""
import json
import os
import struct
import zlib

import xlsxwriter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "Fixtures/golden/grids/seed000_project_framework_blank.xlsx.json")
OUT = os.path.join(ROOT, "Fixtures/rich/seed000_rich.xlsx")


def tiny_png(width=24, height=12):
    """A small red/white striped PNG made with zlib only (no Pillow)."""
    raw = b""
    for y in range(height):
        raw += b"\x00" + b"".join(
            (b"\xc0\x20\x20" if (x // 4) % 2 == 0 else b"\xff\xff\xff") for x in range(width))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    with open(GOLDEN, encoding="utf-8") as f:
        sheet = json.load(f)["sheets"][0]
    rows = sheet["rows"]
    start_row, start_col = sheet["start"]

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    wb = xlsxwriter.Workbook(OUT, {"strings_to_numbers": False})
    wb.set_properties({"title": "绩效评价指标体系框架", "author": "jixiao fixture", "created": None})
    border = {"border": 1, "valign": "vcenter", "text_wrap": True}
    title_fmt = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    head_fmt = wb.add_format(dict(border, bold=True, align="center", bg_color="#D9E1F2"))
    text_fmt = wb.add_format(border)
    num_fmt = wb.add_format(dict(border, align="center", num_format="0.00"))
    red_fmt = wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})

    ws = wb.add_worksheet("附件2")
    widths = [9, 12, 16, 18, 6, 8, 34, 40, 22]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)

    merged = sheet["merged"]
    merged_tl = {}
    covered = set()
    for ref in merged:
        a, b = ref.split(":")
        r0, c0 = xlsxwriter.utility.xl_cell_to_rowcol(a)
        r1, c1 = xlsxwriter.utility.xl_cell_to_rowcol(b)
        merged_tl[(r0, c0)] = (r1, c1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                covered.add((r, c))

    total_row = None
    for i, values in enumerate(rows):
        r = start_row + i
        for j, v in enumerate(values):
            c = start_col + j
            if r == 0:
                fmt = title_fmt
            elif r == 1:
                fmt = head_fmt
            elif c in (4, 5):
                fmt = num_fmt
            else:
                fmt = text_fmt
            if v == "合计":
                total_row = r
            if (r, c) in merged_tl:
                r1, c1 = merged_tl[(r, c)]
                ws.merge_range(r, c, r1, c1, v if v is not None else "", fmt)
            elif (r, c) in covered:
                continue
            elif v is None:
                ws.write_blank(r, c, None, fmt)
            else:
                ws.write(r, c, v, fmt)
    assert total_row is not None, "no 合计 row in the golden grid"

    first, last = 3, total_row  # 1-based rows of the leaves: 3 .. total_row (the 合计 row is total_row + 1)
    # The 合计 得分 cell as a live formula (replaces the text "N分" of the seed).
    ws.write_formula(total_row, 5, f"=SUM(F{first}:F{last})", num_fmt, 0)

    # Data validations: scores 0..100, and a drop-down list below the table.
    ws.data_validation(first - 1, 5, last - 1, 5, {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
        "error_title": "得分", "error_message": "得分应在0到分值之间"})
    note_row = total_row + 2
    ws.write(note_row, 0, "审核结论", head_fmt)
    ws.write(note_row, 1, "通过", text_fmt)
    ws.data_validation(note_row, 1, note_row, 1, {"validate": "list", "source": ["通过", "不通过", "退回修改"]})

    # Conditional formatting: a score of zero shows red.
    ws.conditional_format(first - 1, 5, last - 1, 5, {"type": "cell", "criteria": "==", "value": 0,
                                                        "format": red_fmt})

    # Image beside the table.
    png = tiny_png()
    from io import BytesIO
    ws.insert_image(note_row, 3, "stamp.png", {"image_data": BytesIO(png), "x_scale": 2, "y_scale": 2})

    # Chart of the weights.
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "分值", "values": ["附件2", first - 1, 4, last - 1, 4],
                      "categories": ["附件2", first - 1, 3, last - 1, 3]})
    chart.set_title({"name": "分值分布"})
    ws.insert_chart(note_row + 2, 6, chart)

    wb.define_name("得分区域", f"='附件2'!$F${first}:$F${last}")
    ws.repeat_rows(1)

    info = wb.add_worksheet("说明")
    info.write(0, 0, "本表由填报单位填写；得分由 jixiao 计算。")
    wb.close()
    print(OUT)


if __name__ == "__main__":
    main()
