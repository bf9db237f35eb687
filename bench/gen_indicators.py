#!/usr/bin/env python3
"""Writes COUNT small indicator workbooks (绩效评价指标体系) with openpyxl for the bulk benchmark.

Usage: gen_indicators.py --count N --seed S --out DIR

Each workbook has one sheet laid out like the 附件 tables of a 绩效自评报告:
  row 1  title, merged across the table
  row 2  header: 一级指标 | 二级指标 | 三级指标 | 分值 | 得分 | 指标解释 | 评分标准 | 数据来源
  rows   about 57 indicator rows; 一级 and 二级 names are merged down over their children's rows and carry
         their weight, e.g. "B2.财务管理（9分）"; 三级 rows carry an integer 分值 and a filled 得分 (≤ 分值,
         in steps of 0.5)
  last   合计 row: 分值 100, 得分 empty (the bulk job fills it)
Leaf weights sum to exactly 100. Deterministic for a given --seed (random.Random per workbook).
"""
import argparse, os, random

LEVEL1 = [('A', '决策'), ('B', '过程'), ('C', '产出'), ('D', '效益'), ('E', '满意度')]
LEVEL2 = {
    'A': ['项目立项', '绩效目标', '资金投入'],
    'B': ['资金管理', '组织实施', '财务管理', '制度执行'],
    'C': ['产出数量', '产出质量', '产出时效', '产出成本'],
    'D': ['经济效益', '社会效益', '生态效益', '可持续影响'],
    'E': ['服务对象满意度', '社会公众满意度'],
}
SUBJECT = ['立项依据', '立项程序', '目标合理性', '指标明确性', '预算编制', '资金分配', '资金到位率',
           '预算执行率', '资金使用', '管理制度', '制度执行', '采购规范', '合同管理', '台账记录', '档案管理',
           '完成数量', '完成质量', '完成及时性', '成本控制', '带动就业', '群众受益', '环境改善', '长效机制',
           '信息公开', '监督检查', '风险防控', '人员配置', '设备维护', '培训覆盖', '投诉处理']
EXPLAIN = ['考察{}是否符合相关规定和要求。', '反映{}的实际完成情况。', '考察{}是否及时、完整、有效。',
           '用以反映和考核{}的落实程度。', '考察项目实施过程中{}是否规范。']
RULE = ['符合，得满分；不符合，不得分。', '完成率100%得满分，每降低1%扣权重的2%，扣完为止。',
        '规范，得满分；部分规范，得权重的60%；不规范，不得分。',
        '满意度≥90%得满分；80%≤满意度<90%得权重的80%；低于80%不得分。',
        '存在一项问题扣0.5分，扣完为止。']
SOURCE = ['立项申请、批复文件', '绩效目标申报表', '财务凭证、支付指令', '管理制度、访谈', '现场调查、台账记录',
          '满意度调查问卷', '验收报告、统计报表']
PROJECTS = ['道路养护', '农村饮水安全', '中小学校舍维修', '社区养老服务', '河道综合整治', '高标准农田建设',
            '政务服务大厅运行', '公共文化服务', '食品安全抽检', '智慧城市信息化']
HEADER = ['一级指标', '二级指标', '三级指标', '分值', '得分', '指标解释', '评分标准', '数据来源']
LEAVES = 57


def split(total, parts, rnd, minimum=1):
    """`parts` positive integers (each >= minimum) summing to `total`, randomly."""
    cuts = sorted(rnd.sample(range(1, total - parts * (minimum - 1)), parts - 1))
    sizes = [b - a for a, b in zip([0] + cuts, cuts + [total - parts * (minimum - 1)])]
    return [s + minimum - 1 for s in sizes]


def build(index, seed):
    rnd = random.Random(seed * 1_000_003 + index)
    # Leaves per level-2 group, weights per leaf (sum 100, each 1..).
    groups = [(code, name, l2) for code, name in LEVEL1 for l2 in LEVEL2[code]]
    counts = split(LEAVES, len(groups), rnd, minimum=2)
    weights = split(100, LEAVES, rnd, minimum=1)
    rows, merges, w = [], [], iter(weights)
    start = 3
    by_l1 = {}
    for (code, l1, l2), n in zip(groups, counts):
        by_l1.setdefault(code, []).append((l2, n))
    for code, l1 in LEVEL1:
        l1_start = start + len(rows)
        l1_rows = []
        for k, (l2, n) in enumerate(by_l1[code], start=1):
            l2_start = start + len(rows) + len(l1_rows)
            leaves = []
            for j in range(1, n + 1):
                weight = next(w)
                score = rnd.randrange(0, 2 * weight + 1) / 2 if rnd.random() < 0.3 else float(weight)
                subject = SUBJECT[rnd.randrange(len(SUBJECT))]
                leaves.append([None, None, f'{code}{k}{j}.{subject}', weight, score,
                               EXPLAIN[rnd.randrange(len(EXPLAIN))].format(subject),
                               RULE[rnd.randrange(len(RULE))], SOURCE[rnd.randrange(len(SOURCE))]])
            leaves[0][1] = f'{code}{k}.{l2}（{sum(r[3] for r in leaves)}分）'
            if n > 1:
                merges.append(f'B{l2_start}:B{l2_start + n - 1}')
            l1_rows += leaves
        l1_rows[0][0] = f'{code}.{l1}（{sum(r[3] for r in l1_rows)}分）'
        if len(l1_rows) > 1:
            merges.append(f'A{l1_start}:A{l1_start + len(l1_rows) - 1}')
        rows += l1_rows
    title = f'附件{index % 3 + 1}：{PROJECTS[rnd.randrange(len(PROJECTS))]}项目支出绩效评价指标体系'
    return title, rows, merges


def write(path, title, rows, merges):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    wb = Workbook()
    ws = wb.active
    ws.title = '附件'
    ws.append([title])
    ws.merge_cells('A1:H1')
    ws['A1'].font = Font(bold=True, size=14)
    ws.append(HEADER)
    for c in ws[2]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    total_row = len(rows) + 3
    ws.append(['合计', None, None, 100, None])
    ws.merge_cells(f'A{total_row}:C{total_row}')
    for m in merges:
        ws.merge_cells(m)
        ws[m.split(':')[0]].alignment = Alignment(vertical='center', wrap_text=True)
    for col, width in zip('ABCDEFGH', (16, 18, 22, 7, 7, 30, 34, 20)):
        ws.column_dimensions[col].width = width
    wb.save(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--count', type=int, required=True)
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for i in range(a.count):
        write(os.path.join(a.out, f'indicators_{i:04d}.xlsx'), *build(i, a.seed))


if __name__ == '__main__':
    main()
