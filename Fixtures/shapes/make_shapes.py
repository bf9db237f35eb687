#!/usr/bin/env python3
"""Writes the shape fixtures of this folder from the seed CSV fixtures (run from the repository root).

Each shape holds the same indicator table as its seed, written the way other bureaus write it; the
IndicatorModel tests check that every shape normalises to the same model as its seed.
"""
import csv, io

def read(path, enc):
    with open(path, encoding=enc, newline='') as f:
        return [row for row in csv.reader(f)]

def write(path, rows, enc):
    buf = io.StringIO()
    csv.writer(buf, lineterminator='\r\n').writerows(rows)
    with open(path, 'w', encoding=enc, newline='') as f:
        f.write(buf.getvalue())

def repeat_parents(rows, header, levels):
    out = [list(r) for r in rows]
    cur = [''] * levels
    for r in out[header + 1:]:
        if r[0].strip() == '合计':
            break
        texts = [c.strip() for c in r[:levels]]
        deepest = max([i for i, t in enumerate(texts) if t] or [-1])
        for l in range(deepest + 1):
            if texts[l]:
                cur[l] = r[l]
                for k in range(l + 1, levels):
                    cur[k] = ''
            else:
                r[l] = cur[l]
    return out

FW = str.maketrans('0123456789.', '０１２３４５６７８９．')

s0 = read('Fixtures/csv/seed000_project_framework.csv', 'utf-8-sig')

# 1. Offset: a sheet label and a unit line above the title, an empty margin column, a note under 合计.
width = len(s0[0]) + 1
offset = [['表3'] + [''] * (width - 1), [''] * width]
offset += [[''] + r for r in s0]
offset[2][5] = '单位：分'  # on the title row, right of the title
offset += [[''] * width, ['', '注：本表由评价小组填写，得分保留整数。'] + [''] * (width - 2)]
write('Fixtures/shapes/seed000_offset_notes.csv', offset, 'utf-8-sig')

# 2. Parents repeated on every row, header synonyms and spacing, numbers written as text.
rep = repeat_parents(s0, 1, 4)
rep[1] = ['一 级 指 标', '二级\n指标', '三级\u3000指标', '四级指标名称', '权重（分）', '自评得分', '指标说明', '评分细则', '资料来源']
variants = [lambda n: n + '\u3000', lambda n: '\u3000' + n, lambda n: n.translate(FW), lambda n: n + '分', lambda n: n + '.0']
i = 0
for r in rep[2:]:
    if r[0].strip() == '合计':
        break
    for c in (4, 5):
        r[c] = variants[i % len(variants)](r[c].strip())
        i += 1
write('Fixtures/shapes/seed000_repeated_synonyms_textnumbers.csv', rep, 'utf-8')

# 3. Seed 002 with its parents repeated, in GBK.
s2 = read('Fixtures/csv/seed002_department_framework_gbk.csv', 'gb18030')
write('Fixtures/shapes/seed002_repeated_parents_gbk.csv', repeat_parents(s2, 1, 3), 'gb18030')
