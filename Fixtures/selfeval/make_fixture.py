#!/usr/bin/env python3
"""Writes selfeval_project.xlsx: a 项目支出绩效自评表 in the national form's layout (财预〔2020〕10号 附件),
filled with the seed-000 project's figures, with a 预算执行率 row, ≥/≤/= quantitative indicators (one reverse
indicator over its target) and qualitative ones. Only the qualitative 部分达成 row has a score (a person's
judgement within its band); every other score is left for `jixiao score` to compute.
Plain zipfile + inline strings, no third-party packages. Also writes selfeval_project.xlsx.json, the grid
as read back by the independent reader of scripts/grid-goldens.py (for tests below the XLSX reader)."""
import os, zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))

rows = [
    ["项目支出绩效自评表"],
    ["（2023年度）"],
    ["项目名称", "辅助性岗位工作人员薪酬专项经费"],
    ["主管部门", "昆明市盘龙区政务服务管理局", None, None, None, "实施单位", None, "昆明市盘龙区政务服务管理局"],
    ["项目资金（万元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", None, 771.652, 771.652, 747.449038, 10, None, None],
    [None, "其中：当年财政拨款", None, 771.652, 771.652, 747.449038, "—", None, "—"],
    [None, "上年结转资金", None, None, None, None, "—", None, "—"],
    [None, "其他资金", None, None, None, None, "—", None, "—"],
    ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
    [None, "保障127名辅助性岗位人员薪酬，确保政务服务大厅正常运转", None, None, None, "127名人员薪酬按月足额发放，大厅运转正常"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    [None, "产出指标", "数量指标", "保障辅助性岗位人数", "≥127人", "127人", 15, None, None],
    [None, None, "质量指标", "考核合格率", "≥95%", "98%", 15, None, None],
    [None, None, "时效指标", "工资按月发放及时率", "=100%", "100%", 10, None, None],
    [None, None, "成本指标", "人均薪酬成本", "≤60760元", "58854.25元", 10, None, None],
    [None, "效益指标", "社会效益指标", "政务服务大厅正常运转", "有效保障", "达成", 10, None, None],
    [None, None, None, "群众办事便利度", "明显提升", "部分达成", 10, 7, "高峰期排队时间仍较长，下一年度增设自助服务区"],
    [None, None, "可持续影响指标", "群众投诉率", "≤2%", "2.5%", 10, None, "个别窗口服务不规范，已加强培训"],
    [None, "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "88%", 10, None, "满意度略低于目标，继续改进服务"],
    ["总分", None, None, None, None, None, 100, None, None],
]
merges = ["A1:I1", "A2:I2", "B3:I3", "B4:E4", "F4:G4", "H4:I4", "A5:A9", "B5:C5", "B6:C6", "B7:C7", "B8:C8",
          "B9:C9", "A10:A11", "B10:E10", "F10:I10", "B11:E11", "F11:I11", "A12:A20", "B13:B16", "B17:B19",
          "C17:C18", "A21:F21"]

def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s

def sheet_xml():
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{col(c)}{r}"
            if v is None:
                continue
            if isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
        out.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    out.append("</sheetData>")
    out.append(f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
    out.append("</worksheet>")
    return "".join(out)

FILES = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="自评表" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>',
}

def main():
    path = os.path.join(HERE, "selfeval_project.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"]:
            info = zipfile.ZipInfo(name, date_time=(2024, 6, 6, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, FILES[name])
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2024, 6, 6, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, sheet_xml())
    print("wrote", path)
    # The golden grid, read back by the independent reader of scripts/grid-goldens.py.
    import importlib.util, json
    spec = importlib.util.spec_from_file_location("grid_goldens", os.path.join(HERE, "..", "..", "scripts", "grid-goldens.py"))
    gg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gg)
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump(gg.read(path), f, ensure_ascii=False, indent=0)
    print("wrote", path + ".json")

if __name__ == "__main__":
    main()
