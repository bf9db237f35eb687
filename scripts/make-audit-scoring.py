#!/usr/bin/env python3
"""Writes the audit fixtures of the scoring issue: an indicator table whose 评分标准 texts are phrased unlike the
seeds, the same measured values three ways (GBK CSV with Chinese headers in another order, names instead of
codes and full-width digits; an openpyxl XLSX with a title row, units in the headers and numbers in percent
format), and a 项目支出绩效自评表 written by openpyxl (shared strings, a different writer from the hand-zipped
selfeval fixture) with ≥/≤/= targets written in words, a 0起 target, months and working days.

    Fixtures/measures/audit_table.csv            UTF-8 with BOM, 3 levels, 16 leaves
    Fixtures/measures/audit_measures_gbk.csv     GBK: 备注,完成值,指标,得分
    Fixtures/measures/audit_measures.xlsx        序号 | 指标编号 | 实际完成值（%） | 说明 | 人工得分
    Fixtures/selfeval/selfeval_openpyxl.xlsx     自评表

Needs openpyxl (scripts/bench's venv has it); the fixtures are committed, so tests do not run this.
Expected scores (worked out by hand) are in Tests/ScoringTests/ScoreCLITests.swift."""
import csv, os

import openpyxl

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MEASURES = os.path.join(ROOT, "Fixtures", "measures")
SELFEVAL = os.path.join(ROOT, "Fixtures", "selfeval")

# code, name, weight, criteria, value as written, expected score
LEAVES = [
    ("A11", "预算执行率", 4, "预算执行率≥95%，得满分；每降低1个百分点，扣0.2分，扣完为止。", "０．９２", 3.4),
    ("A12", "资金到位率", 2, "资金到位率=实际到位/计划到位×100%，到位率100%得满分，每降低1%扣0.1分", "7,474,490.38/7,716,520", 1.69),
    ("A13", "支出控制", 3, "成本控制在120万元以内得满分，每超出10万元扣0.5分，扣完为止", "130万元", 2.5),
    ("A14", "完成及时性", 2, "按时完成得满分，每延期1天扣0.2分，扣完为止", "超期3天", 1.4),
    ("A15", "完工时间", 2, "项目按期完工得满分；逾期30天以内得权重的50%；逾期30天以上不得分", "逾期12天", 1),
    ("B11", "制度建设", 2, "已建立得满分，未建立不得分", "完成", 2),
    ("B12", "制度执行", 2, "执行有效得满分，执行基本有效得权重的60%，执行无效不得分", "基本有效", 1.2),
    ("B13", "档案管理", 1, "有完整档案，得满分；无，不得分。", "否", 0),
    ("B14", "培训开展", 2, "全年开展培训不少于4次，每少1次扣0.5分", "２次", 1),
    ("B15", "信息公开", 1, "是否按规定公开信息，是得1分，否得0分", "是", 1),
    ("C11", "受益人数", 3, "受益人数达到120人得满分，未达到的按实际人数/120×分值计分", "１２０人", 3),
    ("C12", "群众满意度", 5, "满意度≥90%得满分；80%≤满意度<90%得权重的80%；满意度<80%不得分", "85.5%", 4),
    ("C13", "投诉情况", 2, "每发生一起有效投诉扣0.5分，扣完为止", "2起", 1),
    ("C14", "验收情况", 2, "项目通过验收的得满分，未通过验收的不得分", "未完成", 0),
    ("C15", "工作程序", 3, "1.制定了工作方案；2.方案经过审批；3.按方案实施。每满足一项得1分。", "1、3", 2),
    ("C16", "工作质量", 3, "根据完成质量酌情给分（0~2分）", "", 1.5),  # manual score 1.5
]
GROUPS = {"A": "A.投入与过程", "B": "B.管理", "C": "C.产出与效益"}
SUBS = {"A": "A1.资金与进度", "B": "B1.制度", "C": "C1.效果"}


def table():
    with open(os.path.join(MEASURES, "audit_table.csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["附件：项目绩效评价指标体系（审计用例）"])
        w.writerow(["一级指标", "二级指标", "三级指标", "分值", "得分", "评分标准"])
        last = None
        for code, name, weight, criteria, _, _ in LEAVES:
            g = code[0]
            w.writerow([GROUPS[g] if g != last else "", SUBS[g] if g != last else "", f"{code}.{name}", weight, "", criteria])
            last = g
        w.writerow(["合计", "", "", sum(l[2] for l in LEAVES), "", ""])


def measures_gbk():
    # Names for some rows, `A11.预算执行率` for others; columns in another order; the manual score last.
    with open(os.path.join(MEASURES, "audit_measures_gbk.csv"), "w", encoding="gbk", newline="") as f:
        w = csv.writer(f)
        w.writerow(["备注", "完成值", "指标", "得分"])
        for i, (code, name, _, _, value, expected) in enumerate(LEAVES):
            key = name if i % 3 == 0 else (f"{code}.{name}" if i % 3 == 1 else code)
            w.writerow(["" if value else "评价组酌情评分", value, key, expected if not value else ""])


def measures_xlsx():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "测量值"
    ws.append(["附件：2024年度测量值"])
    ws.append(["序号", "指标编号", "实际完成值（%）", "说明", "人工得分"])
    for i, (code, name, _, _, value, expected) in enumerate(LEAVES, 1):
        cell_value = value
        if code == "A11":
            cell_value = 0.92          # a number in percent format
        elif code == "C12":
            cell_value = 0.855
        ws.append([i, code, cell_value if value else None, name, None if value else expected])
        if code in ("A11", "C12"):
            ws.cell(row=ws.max_row, column=3).number_format = "0.00%"
    wb.save(os.path.join(MEASURES, "audit_measures.xlsx"))


def selfeval():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [
        ["项目支出绩效自评表"], ["（2024年度）"], ["项目名称", "社区养老服务补助"],
        ["项目资金（万元）", None, None, "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"],
        [None, "年度资金总额", None, 200, 200, 184.5, 10, None, None],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        [None, "产出指标", "数量指标", "服务老人人数", "不少于500人", "460人", 10, None, None],
        [None, None, None, "开展活动场次", "＝12次", "10次", 10, None, None],
        [None, None, "质量指标", "服务合格率", "≥90", "92%", 10, None, None],
        [None, None, "时效指标", "补助发放周期", "≤3个工作日", "4个工作日", 10, None, None],
        [None, None, None, "项目实施周期", "12个月", "12个月", 5, None, None],
        [None, None, "成本指标", "人均补助标准", "不高于100元", "80元", 5, None, None],
        [None, "效益指标", "社会效益指标", "安全责任事故", "0起", "1起", 10, None, "一起轻微事故，已整改"],
        [None, None, None, "老年人生活质量", "明显改善", "部分达成", 10, 7, "部分社区覆盖不足"],
        [None, None, "可持续影响指标", "服务机制长效运行", "长期", "达成", 10, None, None],
        [None, "满意度指标", "服务对象满意度指标", "老人满意度", "＞＝９０％", 0.88, 10, None, None],
        ["总分", None, None, None, None, None, 100, None, None],
    ]
    for r in rows:
        ws.append(r)
    for m in ["A1:I1", "A2:I2", "B3:I3", "A6:A16", "B7:B12", "B13:B15", "C7:C8", "C10:C11", "C13:C14"]:
        ws.merge_cells(m)
    wb.save(os.path.join(SELFEVAL, "selfeval_openpyxl.xlsx"))


if __name__ == "__main__":
    table()
    measures_gbk()
    measures_xlsx()
    selfeval()
    print("wrote audit_table.csv, audit_measures_gbk.csv, audit_measures.xlsx, selfeval_openpyxl.xlsx")
