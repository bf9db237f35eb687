#!/usr/bin/env python3
"""Writes Fixtures/formulas/*.xlsx: indicator tables whose totals are formulas saved without calculated values,
as xlsxwriter saves them (the cached value is 0 until Excel or WPS recalculates on opening).

  uncalculated_totals.xlsx  parents' 分值/得分 and the 合计 row are =SUM(...) of the cells below; all right
  wrong_sum_range.xlsx      the same, but the 合计 得分 sums one row too few (a real mistake: Excel shows it too)

Needs xlsxwriter (the bench venv has it): .bench/venv/bin/python scripts/make-formula-fixture.py
"""
import os
import xlsxwriter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'Fixtures', 'formulas')

LEAVES = [  # (一级, 二级, 三级, 分值, 得分, 评分标准)
    ('A.决策', 'A1.项目立项', 'A11.立项依据充分性', 5, 5, '依据充分，得满分；否则不得分。'),
    ('A.决策', 'A1.项目立项', 'A12.立项程序规范性', 5, 4, '程序规范得满分，每发现一处问题扣1分，扣完为止。'),
    ('A.决策', 'A2.资金投入', 'A21.预算编制科学性', 10, 8.5, '酌情得0-10分。'),
    ('B.产出', 'B1.产出数量', 'B11.实际完成率', 40, 38, '完成率×40。'),
    ('C.效益', 'C1.满意度', 'C11.服务对象满意度', 40, 36, '满意度≥90%得满分，每低1%扣1分。'),
]


def write(name, wrong_total):
    wb = xlsxwriter.Workbook(os.path.join(OUT, name))
    ws = wb.add_worksheet('附件2')
    ws.write_row(0, 0, ['一级指标', '二级指标', '三级指标', '分值', '得分', '评分标准'])
    for i, (a, b, c, w, s, crit) in enumerate(LEAVES, start=1):
        ws.write_row(i, 0, [a, b, c, w, s, crit])
    n = len(LEAVES)
    total = n + 1
    ws.write(total, 0, '合计')
    # Formulas without a value: xlsxwriter stores 0 as the cached result.
    ws.write_formula(total, 3, f'=SUM(D2:D{n + 1})')
    ws.write_formula(total, 4, f'=SUM(E2:E{n if wrong_total else n + 1})')
    wb.close()


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    write('uncalculated_totals.xlsx', wrong_total=False)
    write('wrong_sum_range.xlsx', wrong_total=True)
