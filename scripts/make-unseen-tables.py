#!/usr/bin/env python3
"""Writes Fixtures/unseen/: indicator tables unlike the seed fixtures, with what `jixiao check` must find in each
(Fixtures/unseen/expected.json, read by Tests/JixiaoCLITests/UnseenTableTests.swift). Run from the repository root:

    python3 scripts/make-unseen-tables.py        # needs openpyxl and xlsxwriter; soffice for the LibreOffice ones
    python3 scripts/make-unseen-tables.py --force   # rewrite every table, not only the missing ones

expected.json is always rewritten; a table already on disk is kept (its bytes would change with every run: ZIP
times), unless --force.

    python3 scripts/make-unseen-tables.py --sweep SEED COUNT [JIXIAO]

writes COUNT random combinations of the shapes, writers and planted mistakes to a temporary folder, runs
`jixiao check --json` on each and prints what differs (failing tables are kept in sweep-failures/).

Two base tables of our own (a 3-level 项目支出 table of 20 leaves, a 4-level 部门整体支出 table of 16), each written in
many shapes: header spellings (line breaks, full-width spaces, 权重/标准分值/指标分值, 评分细则/评分办法/指标评分细则,
指标说明/指标内涵, 佐证材料/评价依据), extra columns (序号, 备注, 扣分原因), columns reordered, parents merged,
blank or repeated on every row, weights in names (（6分）, (6分), 6分, 【6分】, （权重15%）) or in a column as points,
text, percentages or percentage-formatted fractions, title/unit/date blocks, a cover and an instructions sheet,
合计/总计/总分 rows with or without stated totals (or formulas), 小计 rows, two-row headers (评价指标 over the levels;
一级指标 over 名称 | 分值), codes glued, dotted, spaced, numbered (一、（一）1.) or absent; written by openpyxl,
xlsxwriter, LibreOffice (openpyxl → ODS → XLSX), by hand (x: prefixed XML, inline strings, rich runs, _x000D_),
and as CSV (UTF-8 BOM, GBK, semicolons). Then planted mistakes, each with the rule and cell it must be reported at.
LibreOffice files are only rewritten when soffice is installed (the committed ones are kept otherwise).
"""
import copy, csv, io, json, os, shutil, subprocess, sys, tempfile, zipfile
from xml.sax.saxutils import escape
import openpyxl
from openpyxl.utils import get_column_letter as CL

# ---- base tables ----
# node: dict(name, code, w (stated weight), kids=[...]) ; leaf: dict(name, code, w, s, ex, cr, src)
def L(code, name, w, s, ex, cr, src): return dict(code=code, name=name, w=w, s=s, ex=ex, cr=cr, src=src, kids=[])
def N(code, name, w, kids): return dict(code=code, name=name, w=w, kids=kids)

PROJECT3 = [
  N('A', '决策', 15, [
    N('A1', '项目立项', 6, [
      L('A11', '立项依据充分性', 3, 3, '项目立项是否符合法律法规、相关政策、发展规划以及部门职责', '①符合国家法律法规、国民经济发展规划和相关政策，得1分；②符合行业发展规划和政策要求，得1分；③与部门职责范围相符，得1分。', '项目立项申报文件'),
      L('A12', '立项程序规范性', 3, 3, '项目申请、设立过程是否符合相关要求', '程序规范得满分，每发现一处不规范扣1分，扣完为止。', '立项批复文件'),
    ]),
    N('A2', '绩效目标', 5, [
      L('A21', '绩效目标合理性', 3, 2.5, '项目所设定的绩效目标是否依据充分，是否符合客观实际', '目标合理得满分，部分合理酌情得0-3分。', '绩效目标申报表'),
      L('A22', '绩效指标明确性', 2, 2, '依据绩效目标设定的绩效指标是否清晰、细化、可衡量', '指标清晰、细化、可衡量得满分；否则不得分。', '绩效目标申报表'),
    ]),
    N('A3', '资金投入', 4, [
      L('A31', '预算编制科学性', 2, 2, '项目预算编制是否经过科学论证、有明确标准', '经过科学论证得满分，未论证不得分。', '预算编制说明'),
      L('A32', '资金分配合理性', 2, 1.5, '项目预算资金分配是否有测算依据，与补助单位实际是否相适应', '分配依据充分、额度合理得满分，依据不足扣0.5分。', '资金分配文件'),
    ]),
  ]),
  N('B', '过程', 20, [
    N('B1', '资金管理', 12, [
      L('B11', '资金到位率', 4, 4, '实际到位资金与预算资金的比率', '资金到位率=实际到位资金/预算资金×100%，到位率100%得满分，每低1%扣0.2分，扣完为止。', '资金拨付凭证'),
      L('B12', '预算执行率', 4, 3.6, '项目预算资金是否按照计划执行', '预算执行率≥95%得满分，每低1%扣0.1分。', '财务账表'),
      L('B13', '资金使用合规性', 4, 4, '项目资金使用是否符合相关的财务管理制度规定', '资金使用合规得满分，发现违规使用不得分。', '会计凭证'),
    ]),
    N('B2', '组织实施', 8, [
      L('B21', '管理制度健全性', 4, 4, '项目实施单位的财务和业务管理制度是否健全', '制度健全得满分，不健全酌情扣分。', '管理制度文件'),
      L('B22', '制度执行有效性', 4, 3, '项目实施是否符合相关管理规定', '①遵守相关法律法规和业务管理规定，得2分；②项目调整及支出调整手续完备，得1分；③项目实施的人员条件、场地设备落实到位，得1分。', '检查记录'),
    ]),
  ]),
  N('C', '产出', 40, [
    N('C1', '产出数量', 15, [
      L('C11', '参保人数', 8, 8, '年度参保人数完成情况', '完成年度目标值得满分，未完成按比例得分。', '参保统计报表'),
      L('C12', '补助发放人次', 7, 6, '补助资金发放人次', '达到目标值得满分，每少1%扣0.5分。', '发放台账'),
    ]),
    N('C2', '产出质量', 10, [
      L('C21', '补助标准达标率', 10, 10, '补助标准是否符合文件规定', '达标率100%得满分，每低1%扣1分。', '补助标准文件'),
    ]),
    N('C3', '产出时效', 8, [
      L('C31', '资金拨付及时率', 8, 7, '资金是否在规定时限内拨付', '按时拨付得满分，每延迟一个月扣1分。', '拨付凭证'),
    ]),
    N('C4', '产出成本', 7, [
      L('C41', '人均补助成本', 7, 7, '人均补助成本是否控制在预算标准内', '控制在标准内得满分，超出不得分。', '财务决算'),
    ]),
  ]),
  N('D', '效益', 25, [
    N('D1', '社会效益', 15, [
      L('D11', '群众就医负担减轻程度', 8, 7, '参保群众就医负担减轻情况', '效果显著得8分，效果一般得5分，无效果不得分。', '调查问卷'),
      L('D12', '政策知晓率', 7, 6, '群众对补助政策的知晓程度', '知晓率≥90%得满分，80%-90%得5分，低于80%不得分。', '问卷调查'),
    ]),
    N('D2', '可持续影响', 5, [
      L('D21', '长效管理机制', 5, 5, '是否建立长效管理机制', '已建立得满分，未建立不得分。', '相关制度'),
    ]),
    N('D3', '满意度', 5, [
      L('D31', '服务对象满意度', 5, 4, '服务对象对项目实施的满意程度', '满意度≥90%得满分；80%≤满意度<90%得4分；满意度<80%不得分。', '满意度调查'),
    ]),
  ]),
]

# 4-level department table
DEPT4 = [
  N('A', '部门决策', 20, [
    N('A1', '目标设定', 8, [
      N('A11', '绩效目标', 5, [
        L('A111', '绩效目标合理性', 3, 3, '部门整体绩效目标是否与部门职能相符', '相符得满分，不相符不得分。', '部门三定方案'),
        L('A112', '绩效指标明确性', 2, 2, '绩效指标是否细化量化', '细化量化得满分，否则酌情得0-2分。', '绩效目标表'),
      ]),
      N('A12', '工作计划', 3, [
        L('A121', '年度工作计划完整性', 3, 2, '年度工作计划是否完整', '计划完整得满分，缺一项扣1分。', '年度工作计划'),
      ]),
    ]),
    N('A2', '预算配置', 12, [
      N('A21', '预算编制', 6, [
        L('A211', '预算编制准确性', 3, 3, '预算编制是否准确', '准确得满分。', '预算批复'),
        L('A212', '重点支出安排率', 3, 3, '重点项目支出占比', '≥80%得满分，否则按比例得分。', '预算批复'),
      ]),
      N('A22', '人员配置', 6, [
        L('A221', '在职人员控制率', 6, 6, '在职人数与编制数的比率', '≤100%得满分，超出不得分。', '编制文件'),
      ]),
    ]),
  ]),
  N('B', '部门管理', 30, [
    N('B1', '资金管理', 18, [
      N('B11', '预算执行', 10, [
        L('B111', '预算执行率', 6, 5.4, '预算执行程度', '执行率≥95%得满分，每低1%扣0.2分。', '决算报表'),
        L('B112', '结转结余率', 4, 4, '结转结余资金占比', '≤10%得满分，每高1%扣0.5分。', '决算报表'),
      ]),
      N('B12', '财务管理', 8, [
        L('B121', '资金使用合规性', 5, 5, '资金使用是否合规', '合规得满分；发现违规不得分。', '审计报告'),
        L('B122', '管理制度健全性', 3, 3, '财务制度是否健全', '健全得满分，否则不得分。', '财务制度'),
      ]),
    ]),
    N('B2', '资产管理', 12, [
      N('B21', '资产配置', 12, [
        L('B211', '资产管理安全性', 6, 6, '资产保存是否完整，处置是否规范', '安全规范得满分，每发现一处问题扣1分。', '资产台账'),
        L('B212', '固定资产利用率', 6, 5, '实际在用固定资产与所有固定资产的比率', '利用率≥95%得满分，每低1%扣0.5分。', '资产卡片'),
      ]),
    ]),
  ]),
  N('C', '部门履职效果', 50, [
    N('C1', '产出', 30, [
      N('C11', '重点工作', 30, [
        L('C111', '重点工作完成率', 15, 14, '重点工作任务完成情况', '100%完成得满分，每少完成1项扣3分。', '工作总结'),
        L('C112', '工作完成及时性', 15, 15, '工作是否按时完成', '按时完成得满分，每延误一项扣2分。', '工作总结'),
      ]),
    ]),
    N('C2', '效益', 20, [
      N('C21', '社会效益', 10, [
        L('C211', '社会效益实现程度', 10, 9, '部门履职带来的社会效益', '效果显著得10分；效果一般得6分；无效果不得分。', '调查报告'),
      ]),
      N('C22', '满意度', 10, [
        L('C221', '服务对象满意度', 10, 9, '服务对象满意程度', '满意度≥90%得满分，每低1%扣0.5分。', '满意度调查问卷'),
      ]),
    ]),
  ]),
]


# ---- rendering ----

CN = '一二三四五六七八九十'
def a1(r, c): return f'{CL(c+1)}{r+1}'

def depth(nodes):
    return 1 + max((depth(n['kids']) for n in nodes if n['kids']), default=0)

def leaves(nodes):
    for n in nodes:
        if n['kids']: yield from leaves(n['kids'])
        else: yield n
def alln(nodes):
    for n in nodes:
        yield n
        yield from alln(n['kids'])

def fmtnum(v):
    return str(int(v)) if float(v).is_integer() else str(v)

def label(n, level, idx, o, leaf):
    code = n['code']
    st = o.get('code_style', 'glued')
    name = n['name']
    if st == 'glued': s = code + name
    elif st == 'dot': s = code + '.' + name
    elif st == 'space': s = code + ' ' + name
    elif st == 'none': s = name
    elif st == 'enum':
        s = [f'{CN[idx]}、', f'（{CN[idx]}）', f'{idx+1}.', f'({idx+1})'][level-1] + name
    nw = o.get('leaf_name_weight') if leaf else o.get('name_weight')
    if nw and n.get('w') is not None:
        w = n['w']
        if '%' in nw and o.get('pct_base'):
            w = w * 100 / o['pct_base']
        s += nw.format(w=fmtnum(w))
    return s

def render(tree, o):
    """rows, merges, expected."""
    lv = depth(tree)
    roles = o.get('cols') or (['l%d' % (i+1) for i in range(lv)] + ['w', 's', 'ex', 'cr', 'src'])
    if o.get('no_weight_col'): roles = [r for r in roles if r != 'w']
    hdr = {'l1w': '分值', 'l2w': '分值', 'l3w': '分值', 'l1': '一级指标', 'l2': '二级指标', 'l3': '三级指标', 'l4': '四级指标', 'w': '分值', 's': '得分',
           'ex': '指标解释', 'cr': '评分标准', 'src': '数据来源', 'seq': '序号', 'note': '备注', 'reason': '扣分原因'}
    hdr.update(o.get('hdr', {}))
    off = o.get('col_offset', 0)
    col = {r: i + off for i, r in enumerate(roles)}
    rows = [list(r) for r in o.get('top', [])]
    merges = []
    two = o.get('two_row')
    width = len(roles) + off
    def newrow(): return [None] * width
    hr = len(rows)
    if two == 'namew':
        r1, r2 = newrow(), newrow()
        for r in roles:
            if r.startswith('l') and not r.endswith('w'):
                lvl = int(r[1])
                r1[col[r]] = hdr[r]
                wr = f'l{lvl}w' if f'l{lvl}w' in col else ('w' if lvl == lv else None)
                if wr:
                    merges.append((hr, col[r], hr, col[wr])); r2[col[r]] = o.get('namew_name', '名称'); r2[col[wr]] = o.get('namew_weight', '分值')
                else:
                    merges.append((hr, col[r], hr + 1, col[r]))
            elif r.endswith('w') and r != 'w' or (r == 'w' and f'l{lv}' in col):
                continue
            else:
                r1[col[r]] = hdr[r]; merges.append((hr, col[r], hr + 1, col[r]))
        rows += [r1, r2]
    elif two == 'group':
        r1, r2 = newrow(), newrow()
        r1[col['l1']] = '评价指标'
        merges.append((hr, col['l1'], hr, col['l%d' % lv]))
        for r in roles:
            if r.startswith('l'): r2[col[r]] = hdr[r]
            else:
                r1[col[r]] = hdr[r]; merges.append((hr, col[r], hr + 1, col[r]))
        rows += [r1, r2]
    else:
        r1 = newrow()
        for r in roles: r1[col[r]] = hdr[r]
        rows.append(r1)
    if o.get('units_row'):
        r = newrow()
        for k in ('w', 's'):
            if k in col: r[col[k]] = o['units_row']
        rows.append(r)
    header_row = len(rows) - 1
    if o.get('blank_after_header'): rows.append(newrow())
    exp = dict(leaves=[], parents=[], findings=[], levels=lv)
    mode = o.get('parent_mode', 'merged')
    wfmt = o.get('wfmt', lambda w: w)
    sfmt = o.get('sfmt', lambda s: s)
    seq = [0]
    def emit(nodes, level, path_cells):
        for idx, n in enumerate(nodes):
            leaf = not n['kids']
            start = len(rows)
            if leaf:
                row = newrow()
                seq[0] += 1
                if 'seq' in col: row[col['seq']] = seq[0]
                # ancestors
                for (alevel, atext) in path_cells:
                    if mode == 'repeated' or atext[1] == 'fresh':
                        row[col['l%d' % alevel]] = atext[0] if (atext[1] == 'fresh' or not o.get('repeat_plain')) else atext[3]
                        if f'l{alevel}w' in col and atext[2] is not None: row[col[f'l{alevel}w']] = wfmt(atext[2])
                row[col['l%d' % level]] = label(n, level, idx, o, True)
                if level < lv and o.get('hmerge_short_leaves'): merges.append((start, col['l%d' % level], start, col['l%d' % lv]))
                if 'w' in col and n.get('w') is not None: row[col['w']] = wfmt(n.get('ew', n['w']))  # ew: a planted 分值
                if 's' in col and n.get('s') is not None: row[col['s']] = sfmt(n['s'])
                for k in ('ex', 'cr', 'src'):
                    if k in col and n.get(k): row[col[k]] = n[k]
                if 'note' in col and n.get('note'): row[col['note']] = n['note']
                if 'reason' in col and n.get('s') is not None and n.get('w') is not None and n['s'] < n['w']: row[col['reason']] = '部分未完成'
                if n.get('cr2'):
                    rows.append(row); row = newrow(); row[col['cr']] = n['cr2']
                rows.append(row)
                exp['leaves'].append(dict(cr=(n['cr'] + '\n' + n['cr2']) if n.get('cr2') else None, code=n['code'], w=n.get('ew', n.get('w')), s=n.get('s'), cell=a1(start, col['l%d' % level]),
                                          wcell=a1(start, col['w']) if 'w' in col else None,
                                          scell=a1(start, col['s']) if 's' in col else None))
                n['_cell'] = a1(start, col['l%d' % level])
                n['_wcell'] = a1(start, col['w']) if 'w' in col else None
                n['_scell'] = a1(start, col['s']) if 's' in col else None
                for i, (alevel, atext) in enumerate(path_cells):
                    path_cells[i] = (alevel, (atext[0], 'used', atext[2], atext[3]))
            else:
                text = label(n, level, idx, o, False)
                n['_cell'] = None
                plain = label(n, level, idx, dict(o, name_weight=None), False)
                pc = path_cells + [(level, (text, 'fresh', n.get('w'), plain))]
                emit(n['kids'], level + 1, pc)
                end = len(rows) - 1
                n['_cell'] = a1(start, col['l%d' % level])
                exp['parents'].append(dict(code=n['code'], stated=n.get('w') if (o.get('name_weight') or f'l{level}w' in col) else None, cell=n['_cell']))
                if mode == 'merged' and end > start:
                    merges.append((start, col['l%d' % level], end, col['l%d' % level]))
                    if f'l{level}w' in col: merges.append((start, col[f'l{level}w'], end, col[f'l{level}w']))
                if f'l{level}w' in col: n['_pwcell'] = a1(start, col[f'l{level}w'])
                if level == 1 and o.get('subtotals'):
                    r = newrow(); r[col['l1']] = o['subtotals']
                    if 'w' in col: r[col['w']] = n['w']
                    rows.append(r)
                if level == 1 and o.get('blank_between'): rows.append(newrow())
                if level == 1 and o.get('repeat_header_after') == n['code']: rows.append(list(rows[header_row]))
    # A leaf at a shallower level (level-3 leaf in a 4-level table): handled by emit since level increments per depth.
    emit(tree, 1, [])
    exp['header_row'] = header_row
    tot = o.get('totals')
    if tot:
        row = newrow()
        row[col['l1']] = tot.get('label', '合计')
        if tot.get('merge_label'):
            merges.append((len(rows), col['l1'], len(rows), col['l%d' % lv]))
        if 'w' in tot:
            tc = col['w'] if 'w' in col else col.get(tot.get('wcol', 'ex'))
            row[tc] = tot['w']
            exp['total_wcell'] = a1(len(rows), tc)
        if 's' in tot and 's' in col:
            row[col['s']] = tot['s']; exp['total_scell'] = a1(len(rows), col['s'])
        if tot.get('formula'):
            for k in ('w', 's'):
                if k in col:
                    c = CL(col[k] + 1); row[col[k]] = f'=SUM({c}{header_row + 2}:{c}{len(rows)})'
        exp['total_row'] = len(rows)
        rows.append(row)
    for r in o.get('bottom', []):
        rows.append(list(r))
    return rows, merges, exp

pct_col = {}
def write_xlsx(path, sheets, writer='openpyxl'):
    """sheets: list of (name, rows, merges)."""
    if writer == 'xlsxwriter':
        import xlsxwriter
        wb = xlsxwriter.Workbook(path)
        for name, rows, merges in sheets:
            ws = wb.add_worksheet(name)
            covered = set()
            for (r1, c1, r2, c2) in merges:
                v = rows[r1][c1] if c1 < len(rows[r1]) else None
                ws.merge_range(r1, c1, r2, c2, v if v is not None else '')
                for r in range(r1, r2+1):
                    for c in range(c1, c2+1): covered.add((r, c))
            for r, row in enumerate(rows):
                for c, v in enumerate(row):
                    if v is None or (r, c) in covered: continue
                    ws.write(r, c, v)
        wb.close()
        return
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows, merges in sheets:
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None: ws.cell(r + 1, c + 1, v)
        for (r1, c1, r2, c2) in merges:
            ws.merge_cells(start_row=r1+1, start_column=c1+1, end_row=r2+1, end_column=c2+1)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, float) and 0 < cell.value < 1 and cell.column == pct_col.get(name, -1): cell.number_format = '0%'
    wb.save(path)

def write_csv(path, rows, enc='utf-8-sig', delim=','):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator='\r\n')
    for row in rows:
        w.writerow(['' if v is None else (fmtnum(v) if isinstance(v, (int, float)) else v) for v in row])
    with open(path, 'w', encoding=enc, newline='') as f: f.write(buf.getvalue())


# ---- hand-written XML ----
# rich runs and _x000D_ for the header, numbers as t="n", merges.

def build_handxml(path, rows, merges, rich_header_row=None):
    ss = []  # shared strings (rich)
    sheet_rows = []
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            if v is None: continue
            ref = f'{CL(c+1)}{r+1}'
            if isinstance(v, (int, float)):
                cells.append(f'<x:c r="{ref}"><x:v>{v}</x:v></x:c>')
            elif r == rich_header_row:
                # split into two runs, line break written as _x000D_ + LF
                t = v.replace('\n', '_x000D_\n')
                half = max(1, len(t) // 2)
                runs = f'<x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">{escape(t[:half])}</x:t></x:r><x:r><x:t xml:space="preserve">{escape(t[half:])}</x:t></x:r>'
                ss.append(f'<x:si>{runs}</x:si>')
                cells.append(f'<x:c r="{ref}" t="s"><x:v>{len(ss)-1}</x:v></x:c>')
            else:
                cells.append(f'<x:c r="{ref}" t="inlineStr"><x:is><x:t>{escape(v)}</x:t></x:is></x:c>')
        sheet_rows.append(f'<x:row r="{r+1}">{"".join(cells)}</x:row>')
    mc = ''.join(f'<x:mergeCell ref="{CL(c1+1)}{r1+1}:{CL(c2+1)}{r2+1}"/>' for (r1, c1, r2, c2) in merges)
    ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
    rns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
    sheet = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><x:worksheet xmlns:x="{ns}"><x:sheetData>{"".join(sheet_rows)}</x:sheetData>' + (f'<x:mergeCells count="{len(merges)}">{mc}</x:mergeCells>' if merges else '') + '</x:worksheet>'
    sst = f'<?xml version="1.0" encoding="UTF-8"?><x:sst xmlns:x="{ns}" count="{len(ss)}" uniqueCount="{len(ss)}">{"".join(ss)}</x:sst>'
    wb = f'<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="{ns}" xmlns:r="{rns}"><x:sheets><x:sheet name="附表1" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>'
    wbrels = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    rels = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ct = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', ct); z.writestr('_rels/.rels', rels); z.writestr('xl/workbook.xml', wb)
        z.writestr('xl/_rels/workbook.xml.rels', wbrels); z.writestr('xl/worksheets/sheet1.xml', sheet); z.writestr('xl/sharedStrings.xml', sst)


# ---- cases ----

def P(): return copy.deepcopy(PROJECT3)
def D(): return copy.deepcopy(DEPT4)
def find(tree, code):
    for n in alln(tree):
        if n['code'] == code: return n
TITLE = [['附件3'], ['2023年城乡居民医疗保险补助资金项目支出绩效评价指标体系'], ['填报单位：某某县医疗保障局', None, None, None, '单位：分'], ['填报日期：2024年3月15日']]
TOT = dict(label='合计', w=100, s=None)
def tot(tree, label='合计', w=100, s='auto', **kw):
    sc = sum(l['s'] for l in leaves(tree) if l.get('s') is not None) if s == 'auto' else s
    d = dict(label=label, w=w, **kw)
    if sc is not None: d['s'] = sc
    return d

CASES = []
def case(name, tree, opts, fmt='xlsx', find=(), before=(), writer='openpyxl', sheet=None, enc='utf-8-sig', delim=','):
    CASES.append(dict(name=name, tree=tree, opts=opts, fmt=fmt, find=list(find), before=list(before), writer=writer, sheet=sheet, enc=enc, delim=delim))

t = P(); case('p3_merged_basic', t, dict(name_weight='（{w}分）', top=TITLE[:2], totals=tot(t)))
t = P(); case('p3_csv_blank', t, dict(name_weight='（{w}分）', parent_mode='blank', totals=tot(t)), fmt='csv')
t = P(); case('p3_repeated', t, dict(name_weight='（{w}分）', parent_mode='repeated', totals=tot(t)), fmt='csv')
t = P(); case('p3_hdr_linebreaks', t, dict(name_weight='({w}分)', hdr={'l1': '一级\n指标', 'l2': '二 级 指 标', 'l3': '三级\u3000指标', 'w': '分\u3000值', 's': '得\n分', 'ex': '指标说明', 'cr': '评分细则', 'src': '佐证材料'}, totals=tot(t)))
t = P(); case('p3_hdr_syn2', t, dict(name_weight='【{w}分】', hdr={'w': '标准分值', 'ex': '指标内涵', 'cr': '评分办法', 'src': '评价依据', 's': '自评得分'}, totals=tot(t, label='总计')), fmt='csv')
t = P(); case('p3_hdr_syn3', t, dict(name_weight='{w}分', hdr={'w': '权重', 'ex': '指标解释', 'cr': '指标评分细则', 'src': '数据来源'}, totals=tot(t, label='总分')))
t = P(); case('p3_extra_cols', t, dict(name_weight='（{w}分）', cols=['seq', 'l1', 'l2', 'l3', 'w', 'ex', 'cr', 's', 'reason', 'src', 'note'], totals=tot(t)))
t = P(); case('p3_reordered', t, dict(name_weight='（{w}分）', cols=['l1', 'l2', 'l3', 'ex', 'cr', 'src', 's', 'w'], totals=tot(t)), fmt='csv')
t = P(); case('p3_pct_weights', t, dict(name_weight='（{w}%）', hdr={'w': '权重'}, wfmt=lambda w: f'{fmtnum(w)}%', totals=tot(t, w='100%')))
t = P(); case('p3_names_only_brackets', t, dict(name_weight='（{w}分）', leaf_name_weight='（{w}分）', no_weight_col=True, totals=tot(t)))
t = P(); case('p3_names_only_ascii', t, dict(name_weight='({w}分)', leaf_name_weight='({w}分)', no_weight_col=True, totals=tot(t)), fmt='csv')
t = P(); case('p3_names_only_plain', t, dict(name_weight='{w}分', leaf_name_weight='{w}分', no_weight_col=True, totals=tot(t)))
t = P(); case('p3_names_only_lenticular', t, dict(name_weight='【{w}分】', leaf_name_weight='【{w}分】', no_weight_col=True, totals=tot(t)))
t = P(); case('p3_title_block', t, dict(name_weight='（{w}分）', top=TITLE, totals=tot(t)))
t = P(); case('p3_cover_instr', t, dict(name_weight='（{w}分）', top=TITLE[1:2], totals=tot(t)),
             before=[('封面', [['2023年度项目支出绩效自评报告'], ['项目名称：城乡居民医疗保险补助'], ['填报单位：某某县医疗保障局']], []),
                     ('填表说明', [['填表说明'], ['一级指标', '二级指标', '三级指标', '分值', '说明'], ['决策', '项目立项', '立项依据充分性', '3', '示例'], ['1.本表由项目单位填写。'], ['2.得分保留一位小数。']], [])])
t = P(); case('p3_no_totals', t, dict(name_weight='（{w}分）'))
t = P(); case('p3_totals_no_stated', t, dict(name_weight='（{w}分）', totals=dict(label='合计')))
t = P(); case('p3_two_row_group', t, dict(name_weight='（{w}分）', two_row='group', top=TITLE[1:2], totals=tot(t)))
t = P(); case('p3_enum_codes', t, dict(name_weight='（{w}分）', code_style='enum', totals=tot(t)))
t = P(); case('p3_no_codes', t, dict(name_weight='（{w}分）', code_style='none', totals=tot(t)), fmt='csv', enc='gbk')
t = P(); case('p3_dot_codes_xlsxwriter', t, dict(name_weight='（{w}分）', code_style='dot', totals=tot(t, merge_label=True)), writer='xlsxwriter')
t = P(); case('p3_space_codes_lo', t, dict(name_weight='（{w}分）', code_style='space', totals=tot(t)), writer='libreoffice')
t = P(); case('p3_text_numbers', t, dict(name_weight='（{w}分）', wfmt=lambda w: fmtnum(w) + '分', sfmt=lambda s: '\u3000' + fmtnum(s), totals=tot(t, w='100分')))
t = P(); case('p3_margin_offset', t, dict(name_weight='（{w}分）', col_offset=1, top=[[None, '附表2 项目支出绩效评价指标体系']], totals=tot(t)), fmt='csv', delim=';')
t = D(); case('d4_merged', t, dict(name_weight='（{w}分）', top=[['部门整体支出绩效评价指标体系']], totals=tot(t)))
t = D(); case('d4_repeated_csv', t, dict(name_weight='（{w}分）', parent_mode='repeated', totals=tot(t)), fmt='csv')
t = D(); case('d4_blank_lo', t, dict(name_weight='({w}分)', parent_mode='blank', totals=tot(t)), writer='libreoffice')
t = D(); case('d4_hdr_syn', t, dict(name_weight='（{w}分）', hdr={'l1': '一级', 'l2': '二级', 'l3': '三级', 'l4': '四级', 'w': '指标分值', 'cr': '评分标准及细则'}, totals=tot(t)))
# level-3 leaf inside a 4-level table (level-4 cell blank)
t = D(); n = find(t, 'A12'); n.update(kids=[], s=2, ex='年度工作计划是否完整', cr='完整得满分。', src='工作计划'); case('d4_leaf_at_3', t, dict(name_weight='（{w}分）', totals=tot(t)))

# ---- planted mistakes ----
def mut(code, **kw):
    def f(t): find(t, code).update(kw)
    return f
t = P(); find(t, 'B1')['w'] = 13; case('m_children_sum', t, dict(name_weight='（{w}分）', totals=tot(t, w=100)), find=[('weight-children', 'B1', 'parent'), ('weight-children', 'B', 'parent')])
t = P(); find(t, 'C2')['w'] = 10; find(t, 'C21').update(w=11, s=10); case('m_leaf_vs_parent_csv', t, dict(name_weight='（{w}分）', parent_mode='repeated', totals=tot(t)), fmt='csv', find=[('weight-children', 'C2', 'parent'), ('weight-leaves', 'C', 'parent'), ('total-weight-leaves', None, 'twcell')])
t = P(); case('m_total_not_100', t, dict(name_weight='（{w}分）', totals=tot(t, w=105)), find=[('total-weight', None, 'twcell')])
t = P(); find(t, 'D11')['s'] = 9; case('m_score_above', t, dict(name_weight='（{w}分）', totals=tot(t)), find=[('score-above-weight', 'D11', 'scell')])
t = P(); find(t, 'B12')['s'] = -1; case('m_score_negative', t, dict(name_weight='（{w}分）', totals=tot(t)), fmt='csv', find=[('score-negative', 'B12', 'scell')])
t = P(); find(t, 'C31')['s'] = None; case('m_score_missing', t, dict(name_weight='（{w}分）', totals=tot(t)), find=[('score-missing', 'C31', 'scell')])
t = P(); find(t, 'B22')['code'] = 'B21'; case('m_dup_codes', t, dict(name_weight='（{w}分）', code_style='dot', totals=tot(t)), find=[('code-duplicate', 'B21', 'cell')])
t = P(); find(t, 'A12')['cr'] = '该指标权重5分，程序规范得满分。'; case('m_criteria_weight', t, dict(name_weight='（{w}分）', totals=tot(t)), find=[('criteria-weight', 'A12', 'cell')])
t = P(); find(t, 'A21')['cr'] = '目标合理得满分，部分合理酌情得0-4分。'; case('m_criteria_range', t, dict(name_weight='（{w}分）', totals=tot(t)), fmt='csv', find=[('criteria-weight', 'A21', 'cell')])
t = P(); case('m_stated_score_wrong', t, dict(name_weight='（{w}分）', totals=tot(t, s=95)), find=[('total-score', None, 'tscell')])
t = D(); find(t, 'B11')['w'] = 9; case('m_d4_children', t, dict(name_weight='（{w}分）', parent_mode='repeated', totals=tot(t)), fmt='csv', find=[('weight-children', 'B11', 'parent'), ('weight-children', 'B1', 'parent')])
t = P(); find(t, 'C12')['s'] = 8; case('m_score_above_names_only', t, dict(name_weight='（{w}分）', leaf_name_weight='（{w}分）', no_weight_col=True, totals=tot(t)), find=[('score-above-weight', 'C12', 'scell')])
t = P(); find(t, 'C1')['w'] = 14; case('m_pct_children', t, dict(name_weight='（{w}%）', hdr={'w': '权重'}, wfmt=lambda w: f'{fmtnum(w)}%', totals=tot(t, w='100%')), find=[('weight-children', 'C1', 'parent'), ('weight-children', 'C', 'parent')])

# ---- round 2 ----
NW = ['l1', 'l1w', 'l2', 'l2w', 'l3', 'w', 's', 'ex', 'cr', 'src']
t = P(); case('r2_namew_merged', t, dict(cols=NW, two_row='namew', top=TITLE[1:2], totals=tot(t)))
t = P(); case('r2_namew_repeated_csv', t, dict(cols=NW, two_row='namew', parent_mode='repeated', totals=tot(t)), fmt='csv')
t = P(); case('r2_namew_blank_lo', t, dict(cols=NW, two_row='namew', parent_mode='blank', namew_name='指标', namew_weight='权重', totals=tot(t)), writer='libreoffice')
t = D(); case('r2_namew_d4', t, dict(cols=['l1', 'l1w', 'l2', 'l2w', 'l3', 'l3w', 'l4', 'w', 's', 'cr'], two_row='namew', totals=tot(t)))
t = P(); find(t, 'B1')['w'] = 11; case('r2_namew_planted', t, dict(cols=NW, two_row='namew', totals=tot(t)), find=[('weight-children', 'B1', 'parent'), ('weight-children', 'B', 'parent')])
t = P(); case('r2_pw_prefix', t, dict(name_weight='（权重{w}%）', leaf_name_weight='（分值：{w}分）', no_weight_col=True, totals=tot(t)))
t = P(); case('r2_fullwidth_digits', t, dict(name_weight='（{w}分）', leaf_name_weight=None, wfmt=lambda w: fmtnum(w).translate(str.maketrans('0123456789.', '０１２３４５６７８９．')), totals=tot(t, w='１００')), fmt='csv')
t = P(); case('r2_total_spaced', t, dict(name_weight='（{w}分）', totals=tot(t, label='合  计')))
t = P(); case('r2_total_merged_xw', t, dict(name_weight='（{w}分）', totals=tot(t, label='总计', merge_label=True)), writer='xlsxwriter')
t = P(); case('r2_signature_after', t, dict(name_weight='（{w}分）', totals=tot(t), bottom=[[], ['填表人：张三', None, '审核人：李四', None, '联系电话：0871-1234567']]))
t = P(); case('r2_notes_no_totals', t, dict(name_weight='（{w}分）', bottom=[[], ['注：1.得分保留一位小数；2.本表分值合计100分。']]))
t = P(); case('r2_org_glued', t, dict(name_weight='（{w}分）', totals=tot(t)))
find(t, 'A')['name'] = '某某县医疗保障局项目决策'
t = P(); find(t, 'A31').update(w=2.5, s=2.5); find(t, 'A32').update(w=1.5, s=1); find(t, 'B11').update(w=3.5, s=3.5); find(t, 'B12').update(w=4.5, s=4)
case('r2_leaf_decimal_w', t, dict(name_weight='（{w}分）', leaf_name_weight='（{w}分）', totals=tot(t)))
t = D(); n = find(t, 'A12'); n.update(kids=[], s=2, ex='年度工作计划是否完整', cr='完整得满分。', src='工作计划'); case('r2_d4_leaf3_hmerge', t, dict(name_weight='（{w}分）', totals=tot(t), hmerge_short_leaves=True))
t = P(); find(t, 'C12')['code'] = 'E12'; case('r2_code_malformed', t, dict(name_weight='（{w}分）', totals=tot(t)), find=[('code-malformed', 'E12', 'cell')])
t = P(); find(t, 'B13')['cr'] = '资金使用合规得满分10分，发现违规使用不得分。'; case('r2_criteria_full10', t, dict(name_weight='（{w}分）', totals=tot(t)), find=[('criteria-weight', 'B13', 'cell')])
t = P(); find(t, 'C41')['cr'] = '该指标满分为5分。控制在标准内得满分，超出不得分。'; case('r2_criteria_full_is', t, dict(name_weight='（{w}分）', totals=tot(t)), fmt='csv', find=[('criteria-weight', 'C41', 'cell')])
t = P(); case('r2_names_only_total105', t, dict(name_weight='（{w}分）', leaf_name_weight='（{w}分）', no_weight_col=True, totals=tot(t, w='105分', wcol='ex')), find=[('total-weight', None, 'twcell')])
t = P(); find(t, 'D31')['s'] = -0.5; find(t, 'A22')['s'] = 2.5; find(t, 'B21')['s'] = None; case('r2_multi_planted_lo', t, dict(name_weight='（{w}分）', totals=tot(t, w=100, s=None)), writer='libreoffice', find=[('score-negative', 'D31', 'scell'), ('score-above-weight', 'A22', 'scell'), ('score-missing', 'B21', 'scell')])

# ---- round 3 ----
t = P(); case('r3_formula_totals_openpyxl', t, dict(name_weight='（{w}分）', totals=dict(label='合计', formula=True)))
t = P(); case('r3_formula_totals_lo', t, dict(name_weight='（{w}分）', totals=dict(label='合计', formula=True)), writer='libreoffice')
t = P(); case('r3_subtotals', t, dict(name_weight='（{w}分）', subtotals='小计', totals=tot(t)))
t = P(); case('r3_subtotals_csv_blank', t, dict(name_weight='（{w}分）', parent_mode='blank', subtotals='小  计', blank_between=True, blank_after_header=True, totals=tot(t)), fmt='csv')
t = P(); case('r3_blank_rows_merged', t, dict(name_weight='（{w}分）', blank_between=True, blank_after_header=True, totals=tot(t)))
t = P(); case('r3_repeat_plain_after_first', t, dict(name_weight='（{w}分）', parent_mode='repeated', repeat_plain=True, totals=tot(t)), fmt='csv')
t = D(); case('r3_d4_repeat_plain_after_first', t, dict(name_weight='（{w}分）', parent_mode='repeated', repeat_plain=True, totals=tot(t)))
t = P(); find(t, 'B12')['cr2'] = '执行率低于60%不得分。'; find(t, 'D31')['cr2'] = '未开展满意度调查的不得分。'
case('r3_leaf_two_rows_csv', t, dict(name_weight='（{w}分）', parent_mode='blank', totals=tot(t)), fmt='csv')
for i, h in enumerate([{'l1': '一级指标及分值', 'l2': '二级指标及分值', 'l3': '三级指标'}, {'l1': '一级指标（分值）', 'l2': '二级指标（分值）', 'l3': '三级指标（分值）'},
                       {'l1': '一级指标名称', 'l2': '二级指标名称', 'l3': '三级指标名称', 'w': '分值（分）', 's': '得分（分）'},
                       {'l1': '一级\n指标', 'l2': '二级\n指标', 'l3': '三级\n指标', 'w': '指标\n权重', 's': '自评\n得分', 'cr': '评分\n标准'},
                       {'l1': '一级指标\n（权重）', 'l2': '二级指标\n（权重）', 'l3': '三级指标', 'w': '权重\n（分）', 's': '评价\n得分', 'ex': '指标\n解释'}]):
    t = P(); case(f'r3_hdr_levels_{i}', t, dict(name_weight='（{w}分）', hdr=h, totals=tot(t)), fmt='csv' if i % 2 else 'xlsx')
t = P(); find(t, 'A12')['cr'] = '该指标分值为5分。程序规范得满分，每发现一处不规范扣1分。'; case('r3_criteria_fenzhi', t, dict(name_weight='（{w}分）', totals=tot(t)), find=[('criteria-weight', 'A12', 'cell')])
t = P(); find(t, 'B22')['cr'] = '本项满分5分：①遵守相关法律法规，得2分；②手续完备，得1分；③人员落实到位，得1分。'; case('r3_criteria_manfen_colon', t, dict(name_weight='（{w}分）', totals=tot(t)), find=[('criteria-weight', 'B22', 'cell')])
t = P(); find(t, 'C21')['cr'] = '达标率100%得满分，每项分值1分，共10项。'; case('r3_criteria_per_item_no_fp', t, dict(name_weight='（{w}分）', totals=tot(t)))
t = P(); find(t, 'C11')['w'] = None; find(t, 'C1')['w'] = 15; case('r3_weight_missing', t, dict(name_weight='（{w}分）', totals=tot(t)), find=[('weight-missing', 'C11', 'wcell'), ('weight-children', 'C1', 'parent'), ('weight-leaves', 'C', 'parent'), ('total-weight-leaves', None, 'twcell')])
t = P(); find(t, 'D11')['cr'] = '效果显著得8分，效果较好得6分，效果一般得6分，无效果不得分。'; case('r3_same_score', t, dict(name_weight='（{w}分）', totals=tot(t)), find=[('criteria-same-score', 'D11', 'cell')])
t = P(); find(t, 'C41')['s'] = 7.5; case('r3_score_above_pct', t, dict(name_weight='（{w}%）', hdr={'w': '权重'}, wfmt=lambda w: f'{fmtnum(w)}%', totals=tot(t, w='100%')), find=[('score-above-weight', 'C41', 'scell')])
t = P(); case('r3_codes_only_leaves', t, dict(name_weight='（{w}分）', totals=tot(t)))
for n in alln(t):
    if n['kids']: n['name'] = n['name']; n['_nocode'] = True

# ---- round 4 ----
t = P(); case('r4_handxml_rich_header', t, dict(name_weight='（{w}分）', hdr={'l1': '一级\n指标', 'l2': '二级\n指标', 'l3': '三级\n指标', 'w': '分值\n(分)', 's': '得分'}, top=TITLE[1:2], totals=tot(t)), writer='handxml')
t = P(); case('r4_total_label_in_seq', t, dict(name_weight='（{w}分）', cols=['seq', 'l1', 'l2', 'l3', 'w', 's', 'cr'], totals=tot(t)))
t = P(); case('r4_names_only_total_in_label', t, dict(name_weight='（{w}分）', leaf_name_weight='（{w}分）', no_weight_col=True, totals=dict(label='合计（100分）', s=sum(l['s'] for l in leaves(t)))))
t = P(); n = find(t, 'D3'); n.update(kids=[], s=4, ex='服务对象满意程度', cr='满意度≥90%得满分，80%-90%得4分，低于80%不得分。', src='满意度调查'); n['code'] = 'D3'
case('r4_level2_leaf', t, dict(name_weight='（{w}分）', totals=tot(t)))
t = P(); n = find(t, 'D3'); n.update(kids=[], s=4, ex='服务对象满意程度', cr='满意度≥90%得满分。', src='满意度调查')
case('r4_level2_leaf_hmerge_csv', t, dict(name_weight='（{w}分）', parent_mode='repeated', totals=tot(t)), fmt='csv')
t = P(); case('r4_newline_names', t, dict(name_weight='\n（{w}分）', code_style='glued', totals=tot(t)))
for n in alln(t): n['name'] = n['name']
t = P(); case('r4_code_newline', t, dict(name_weight='（{w}分）', code_style='space', totals=tot(t)))
for n in alln(t): n['code'] = n['code']
t = P(); case('r4_xlsxwriter_title_merged', t, dict(name_weight='({w}分)', top=[['2023年度项目支出绩效自评指标体系'], ['项目名称：城乡居民医保补助', None, None, '主管部门：某某县医疗保障局']], totals=tot(t)), writer='xlsxwriter')

# ---- round 5 ----
t = P(); case('r5_pct_formatted_fractions', t, dict(name_weight='（{w}%）', hdr={'w': '权重'}, wfmt=lambda w: round(w / 100, 4), totals=tot(t, w=1)))
t = P(); case('r5_pct_formatted_fractions_plain_names', t, dict(hdr={'w': '权重'}, wfmt=lambda w: round(w / 100, 4), totals=tot(t, w=1)), writer='libreoffice')
t = P(); find(t, 'C31')['s'] = '/'; find(t, 'C41')['s'] = '—'; case('r5_score_placeholders', t, dict(name_weight='（{w}分）', totals=tot(t, s=None)), find=[('score-missing', 'C31', 'scell'), ('score-missing', 'C41', 'scell')])

# ---- round 6 ----
t = P(); case('r6_signature_no_totals', t, dict(name_weight='（{w}分）', bottom=[['填表人：张三', None, '审核人：李四', None, '填报日期：2024年3月15日']]))
t = P(); case('r6_signature_no_totals_csv', t, dict(name_weight='（{w}分）', parent_mode='blank', bottom=[[], ['单位负责人：王五', None, None, '联系电话：0871-1234567']]), fmt='csv')
t = P(); case('r6_sign_after_blank_lines', t, dict(name_weight='（{w}分）', bottom=[[], [], ['评价人员签字：', None, None, '日期：']]))
t = P(); case('r6_explain_after', t, dict(name_weight='（{w}分）', bottom=[['说明：1.本表分值为100分；2.得分保留一位小数。']]))
t = P(); case('r6_explain_after2', t, dict(name_weight='（{w}分）', bottom=[['填表说明：本表由项目单位填写。']]))

# ---- round 7 ----
for i, h in enumerate([{'ex': '评价要点', 'cr': '评分说明', 'src': '佐证资料', 's': '实得分', 'w': '满分值'},
                       {'ex': '考核内容', 'cr': '考核标准', 'src': '证明材料', 's': '自评分值', 'w': '权数'},
                       {'ex': '评价内容', 'cr': '计分标准', 'src': '核查资料', 's': '得分（分）', 'w': '标准分（分）'},
                       {'ex': '指标内容', 'cr': '考评标准', 'src': '备查资料', 's': '评价得分', 'w': '分值（权重）'},
                       {'ex': '指标解释说明', 'cr': '评分标准（细则）', 'src': '数据来源（佐证材料）', 's': '自评\n得分', 'w': '权重\n(%)'},
                       {'ex': '指标含义', 'cr': '评价标准', 'src': '取证资料', 's': '考核得分', 'w': '指标权重'},
                       {'ex': '指标说明', 'cr': '评分细则及标准', 'src': '资料来源', 's': '得 分', 'w': '分 值'}]):
    t = P(); case(f'r7_hdr_more_{i}', t, dict(name_weight='（{w}分）', hdr=h, totals=tot(t)), fmt='csv' if i % 2 else 'xlsx')

# ---- round 8 ----
t = P(); find(t, 'D2')['w'] = 10; find(t, 'D21').update(w=10, s=9); find(t, 'D')['w'] = 30
case('r8_total_105_consistent', t, dict(name_weight='（{w}分）', totals=tot(t, w=105)), find=[('total-not-100', None, 'twcell')])
t = P(); find(t, 'D2')['w'] = 10; find(t, 'D21').update(w=10, s=9); find(t, 'D')['w'] = 30
case('r8_total_105_no_total_row', t, dict(name_weight='（{w}分）'), find=[('total-not-100', None, '=评价指标')])
t = D(); find(t, 'B21')['code'] = 'B11'; case('r8_dup_parent_codes_d4', t, dict(name_weight='（{w}分）', code_style='dot', totals=tot(t)), find=[('code-duplicate', 'B11', '=C12'), ('code-malformed', 'B11', '=C12'), ('code-malformed', 'B211', '=D12'), ('code-malformed', 'B212', '=D13')])

# ---- round 9: criteria phrasings ----
t = P()
find(t, 'A11')['cr'] = '本指标权重为5分。①符合法律法规，得1分；②符合行业规划，得1分；③与部门职责相符，得1分。'   # 3 → quote 5
find(t, 'A12')['cr'] = '程序规范得满分（3分），每发现一处不规范扣1分。'        # consistent
find(t, 'A21')['cr'] = '目标合理得满分，部分合理酌情得0～4分。'                # 3 → range 4
find(t, 'B11')['cr'] = '到位率100%得4分，每低1%扣0.2分。'                       # consistent
find(t, 'B12')['cr'] = '预算执行率≥95%得5分，每低1%扣0.1分。'                   # outcome 5 > 4
find(t, 'C21')['cr'] = '达标率100%得满分，最高10分。'                           # consistent
find(t, 'C31')['cr'] = '按时拨付得满分，最高得9分。'                             # outcome 9 > 8
find(t, 'D12')['cr'] = '知晓率≥90%得满分，80%-90%得5分，低于80%不得分。'       # consistent
case('r9_criteria_phrasings', t, dict(name_weight='（{w}分）', totals=tot(t)), find=[('criteria-weight', 'A11', 'cell'), ('criteria-weight', 'A21', 'cell'), ('criteria-weight', 'B12', 'cell'), ('criteria-weight', 'C31', 'cell')])
t = P()
find(t, 'C41')['cr'] = '控制在标准内得满分，超出不得分。该指标分值：6分'          # quote 6 vs 7
find(t, 'D21')['cr'] = '建立长效机制得5分；部分建立得3分；未建立得0分。'        # consistent
find(t, 'D31')['cr'] = '满意度≥90%得5分；80%≤满意度<90%得4分；70%≤满意度<80%得4分；<70%不得分。'  # same score 4
case('r9_criteria_more', t, dict(name_weight='（{w}分）', totals=tot(t)), fmt='csv', find=[('criteria-weight', 'C41', 'cell'), ('criteria-same-score', 'D31', 'cell')])

# ---- round 10 ----
t = P(); case('r10_one_row_level_weights', t, dict(cols=NW, totals=tot(t)))
t = P(); case('r10_one_row_level_weights_csv_rep', t, dict(cols=NW, parent_mode='repeated', hdr={'w': '权重', 'l1w': '权重', 'l2w': '权重'}, totals=tot(t)), fmt='csv')
t = D(); case('r10_one_row_level_weights_d4', t, dict(cols=['l1', 'l1w', 'l2', 'l2w', 'l3', 'l3w', 'l4', 'w', 's', 'cr'], totals=tot(t)))
t = D(); n = find(t, 'A12'); n.update(kids=[], s=2, ex='年度工作计划是否完整', cr='完整得满分。', src='工作计划'); case('r10_d4_leaf3_repeated', t, dict(name_weight='（{w}分）', parent_mode='repeated', totals=tot(t)), fmt='csv')
t = P(); n = find(t, 'D3'); n.update(kids=[], s=4, ex='服务对象满意程度', cr='满意度≥90%得满分。', src='满意度调查'); case('r10_level2_leaf_hmerge_xw', t, dict(name_weight='（{w}分）', hmerge_short_leaves=True, totals=tot(t)), writer='xlsxwriter')

# ---- round 12 ----
t = P(); case('r12_header_repeated_mid_table', t, dict(name_weight='（{w}分）', repeat_header_after='B', totals=tot(t)))
t = P(); case('r12_header_repeated_mid_table_csv', t, dict(name_weight='（{w}分）', parent_mode='blank', repeat_header_after='C', top=TITLE[1:2], totals=tot(t)), fmt='csv')

# ---- round 13 ----
t = P(); find(t, 'B12')['ew'] = 5; case('r13_leaf_name_vs_column', t, dict(name_weight='（{w}分）', leaf_name_weight='（{w}分）', wfmt=lambda w: w, totals=tot(t)), find=[('weight-name-column', 'B12', 'wcell'), ('weight-leaves', 'B', 'parent'), ('weight-children', 'B1', 'parent'), ('total-weight-leaves', None, 'twcell')])

# ---- round 14 ----
t = P(); case('r14_group_header_csv_no_merges', t, dict(name_weight='（{w}分）', two_row='group', cols=['seq', 'l1', 'l2', 'l3', 'cr', 's', 'src', 'ex', 'w'], top=TITLE[1:2], totals=tot(t)), fmt='csv', enc='gbk')
t = D(); case('r14_group_header_d4_csv', t, dict(name_weight='（{w}分）', two_row='group', parent_mode='repeated', totals=tot(t)), fmt='csv')

# ---- round 15 ----
t = P(); case('r15_numbered_notes_no_totals', t, dict(name_weight='（{w}分）', bottom=[[], ['1.本表由项目单位填写。'], ['2.得分保留一位小数。']]))
t = P(); case('r15_numbered_notes_after_totals_csv', t, dict(name_weight='（{w}分）', parent_mode='blank', totals=tot(t), bottom=[['1.本表由项目单位填写。']]), fmt='csv')
t = P(); case('r15_units_under_header', t, dict(name_weight='（{w}分）', units_row='（分）', totals=tot(t)))
t = D(); case('r15_units_under_header_csv', t, dict(name_weight='（{w}分）', parent_mode='blank', units_row='分', totals=tot(t)), fmt='csv')

# ---- writing the fixtures and what must be found ----
FW = str.maketrans('０１２３４５６７８９．', '0123456789.')

def stated_totals(c):
    """The 合计 row's weight and score as `check` must read them."""
    tot = c['opts'].get('totals')
    if not tot: return None, None
    if tot.get('formula'):
        # What the spreadsheet shows: openpyxl stores no cached value, LibreOffice the calculated one; jixiao
        # evaluates =SUM(...) itself either way.
        return 100, sum(l['s'] for l in leaves(c['tree']) if isinstance(l.get('s'), (int, float)))
    w = tot.get('w')
    if w is None:
        lab = tot.get('label', '').translate(FW)
        w = float(lab.split('（')[1].rstrip('）').rstrip('分')) if '（' in lab and '分' in lab else None
    elif isinstance(w, str):
        w = float(w.translate(FW).rstrip('分').rstrip('%'))
    if w is not None and w <= 1.5: w *= 100  # a percentage-formatted 1
    return w, tot.get('s')

def texts(c, n, l):
    """The leaf's explanation, criteria and source as `check` must read them (for the columns the table has)."""
    roles = c['opts'].get('cols') or ['ex', 'cr', 'src']
    out = {}
    for k, key in (('ex', 'explanation'), ('cr', 'criteria'), ('src', 'source')):
        if k in roles and n.get(k):
            out[key] = l['cr'] if k == 'cr' and l.get('cr') else n[k]
    return out

def write_case(c, root, force=False, have_soffice=None):
    """Writes one table (unless it exists and not `force`) and returns what `check` must find in it."""
    if have_soffice is None: have_soffice = shutil.which('soffice') is not None
    rows, merges, exp = render(c['tree'], c['opts'])
    ext = 'csv' if c['fmt'] == 'csv' else 'xlsx'
    path = os.path.join(root, f"{c['name']}.{ext}")
    if os.path.exists(path) and not force:
        pass
    elif c['fmt'] == 'csv':
        write_csv(path, rows, c['enc'], c['delim'])
    else:
        sheets = c['before'] + [('评价指标', rows, merges)]
        if c['writer'] == 'libreoffice':
            if have_soffice:
                with tempfile.TemporaryDirectory() as tmp:
                    write_xlsx(f"{tmp}/{c['name']}.xlsx", sheets)
                    # A profile of its own: another soffice running (the tests' check-with-libreoffice) would refuse.
                    so = ['soffice', f'-env:UserInstallation=file://{tmp}/profile', '--headless', '--convert-to']
                    subprocess.run(so + ['ods', '--outdir', tmp, f"{tmp}/{c['name']}.xlsx"], capture_output=True, check=True)
                    subprocess.run(so + ['xlsx', '--outdir', tmp + '/x', f"{tmp}/{c['name']}.ods"], capture_output=True, check=True)
                    shutil.copyfile(f"{tmp}/x/{c['name']}.xlsx", path)
            elif not os.path.exists(path):
                sys.exit(f'{path}: soffice is needed to write it')
        elif c['writer'] == 'handxml':
            build_handxml(path, rows, merges, rich_header_row=exp['header_row'])
        else:
            write_xlsx(path, sheets, c['writer'])
    nodes = {n['code']: n for n in alln(c['tree'])}
    where = {'parent': '_cell', 'cell': '_cell', 'scell': '_scell', 'wcell': '_wcell'}
    findings = []
    for rule, code, w in c['find']:
        # `=C12`: a cell given as such (a sheet name alone for a finding about the whole sheet); `=LATER`: the
        # second of two leaves given the same code.
        if w == '=LATER': cell = [n for n in alln(c['tree']) if n.get('_dupcell')][0]['_cell']
        else: cell = w[1:] if w.startswith('=') else exp.get('total_wcell') if w == 'twcell' else exp.get('total_scell') if w == 'tscell' else nodes[code][where[w]]
        findings.append([rule, code, cell])
    sw, ss = stated_totals(c)
    pct = '%' in (c['opts'].get('name_weight') or '')
    dup = len({p['code'] for p in exp['parents']}) < len(exp['parents'])  # a planted duplicate code
    return dict(
        file=os.path.basename(path), levels=exp['levels'],
        leaves=[[l['code'], l['w'], l['s'] if isinstance(l['s'], (int, float)) else None, l['cell'], texts(c, n, l)]
                for l, n in zip(exp['leaves'], leaves(c['tree']))],
        parents=[[p['code'], None if pct or dup else p['stated']] for p in exp['parents']],
        stated_weight=sw, stated_score=ss, findings=findings)

def compare(want, got):
    """What differs between `check --json` output and what it must find (as UnseenTableTests compares them)."""
    cell = lambda s: s.split('!')[-1] if s else '-'
    num = lambda v: None if v is None else float(v)
    out = []
    if got.get('levels') != want['levels']: out.append(f"levels {got.get('levels')}")
    gl = got.get('indicators', [])
    if len(gl) != len(want['leaves']): out.append(f"{len(gl)} leaves, not {len(want['leaves'])}")
    for g, w in zip(gl, want['leaves']):
        if (g['code'], num(g['weight']), num(g['score']), cell(g['cell'])) != (w[0], num(w[1]), num(w[2]), w[3]):
            out.append(f"leaf {g['code']} {g['weight']} {g['score']} {cell(g['cell'])}, not {w[:4]}")
        for k, t in w[4].items():
            if g.get(k) != t: out.append(f"{g['code']} {k} {g.get(k)!r}")
    stated = {p['code']: p.get('stated_weight') for p in got.get('parents', [])}
    for code, sw in want['parents']:
        if sw is not None and num(stated.get(code)) != num(sw): out.append(f"parent {code} stated {stated.get(code)}, not {sw}")
    t = got.get('total', {})
    if num(t.get('stated_weight')) != num(want['stated_weight']): out.append(f"stated total weight {t.get('stated_weight')}")
    if num(t.get('stated_score')) != num(want['stated_score']): out.append(f"stated total score {t.get('stated_score')}")
    gf = sorted([f['rule'], f.get('code'), cell(f['cell'])] for f in got.get('findings', []) if f['severity'] != 'info')
    wf = sorted(want['findings'], key=lambda f: [x or '' for x in f])
    if sorted(map(str, gf)) != sorted(map(str, wf)): out.append(f"findings {gf}, not {wf}")
    return out

def sweep(seed, count, jixiao):
    """Random combinations of the shapes, writers and planted mistakes, checked with `jixiao` (not kept)."""
    import random
    rng = random.Random(seed)
    HDRS = {'l1': ['一级指标', '一级\n指标', '一 级 指 标', '一级指标名称', '一级指标及分值'], 'l2': ['二级指标', '二级\n指标', '二级指标名称'],
            'l3': ['三级指标', '三级\u3000指标', '三级指标名称'], 'l4': ['四级指标', '四级\n指标'],
            'w': ['分值', '权重', '标准分值', '分\u3000值', '指标分值', '分值（分）', '权重(分)'], 's': ['得分', '自评得分', '评价得分', '得分（分）', '实际得分'],
            'ex': ['指标解释', '指标说明', '指标内涵', '评价要点'], 'cr': ['评分标准', '评分细则', '指标评分细则', '评分办法', '评分标准及细则'],
            'src': ['数据来源', '佐证材料', '评价依据', '资料来源']}
    CASES.clear()
    for i in range(count):
        t = P() if rng.random() < 0.6 else D()
        if rng.random() < 0.2:
            # a short leaf: a parent above the deepest level without children of its own
            short = rng.choice([n for n in alln(t) if n['kids'] and all(not k['kids'] for k in n['kids']) and len(n['code']) > 1])
            short.update(kids=[], s=short['w'], ex='说明', cr='完成得满分。', src='资料')
        lv = depth(t)
        o = {'hdr': {k: rng.choice(v) for k, v in HDRS.items()}, 'parent_mode': rng.choice(['merged', 'blank', 'repeated']),
             'code_style': rng.choice(['glued', 'dot', 'space', 'none', 'enum'])}
        nw = rng.choice(['（{w}分）', '({w}分)', '{w}分', '【{w}分】', ' {w}分', None])
        o['name_weight'] = nw
        if rng.random() < 0.2 and nw:
            o['leaf_name_weight'] = nw
            if rng.random() < 0.5: o['no_weight_col'] = True
        levels = ['l%d' % (k + 1) for k in range(lv)]
        rest = ['w', 's', 'ex', 'cr', 'src']
        rng.shuffle(rest)
        cols = (['seq'] if rng.random() < 0.3 else []) + levels + rest + [e for e in ['note', 'reason'] if rng.random() < 0.3]
        if rng.random() < 0.25 and not o.get('no_weight_col'):
            # each parent level's own 分值 column after it (one header row, or 一级指标 over 名称 | 分值)
            cols2 = []
            for cc in cols:
                cols2.append(cc)
                if cc in levels[:-1]: cols2.append(cc + 'w')
            cols = [cc for cc in cols2 if cc != 'w']
            cols.insert(cols.index(levels[-1]) + 1, 'w')
            o['name_weight'] = None; o.pop('leaf_name_weight', None)
            if rng.random() < 0.5: o['two_row'] = 'namew'
        o['cols'] = cols
        if rng.random() < 0.4: o['top'] = TITLE[:rng.randint(1, 4)]
        if rng.random() < 0.2: o['col_offset'] = 1
        if rng.random() < 0.2: o['blank_after_header'] = True
        if rng.random() < 0.2 and o['parent_mode'] != 'merged': o['blank_between'] = True
        if rng.random() < 0.2 and o['parent_mode'] == 'repeated' and o['name_weight']: o['repeat_plain'] = True
        if rng.random() < 0.15 and 'two_row' not in o: o['two_row'] = 'group'
        before = [('封面', [['2023年度项目支出绩效自评报告'], ['填报单位：某某县医疗保障局']], [])] if rng.random() < 0.2 else []
        finds = []
        lvs = list(leaves(t))
        for _ in range(rng.randint(1, 3) if rng.random() < 0.5 else 0):
            leaf = rng.choice(lvs)
            if leaf.get('_planted'): continue
            kind = rng.choice(['above', 'neg', 'missing', 'crit'] + (['dup'] if o['code_style'] in ('glued', 'dot', 'space') else []))
            if kind == 'above' and 's' in cols and not o.get('no_weight_col'):
                leaf['s'] = leaf['w'] + 1; finds.append(('score-above-weight', leaf['code'], 'scell'))
            elif kind == 'neg' and 's' in cols:
                leaf['s'] = -1; finds.append(('score-negative', leaf['code'], 'scell'))
            elif kind == 'missing' and 's' in cols:
                leaf['s'] = None; finds.append(('score-missing', leaf['code'], 'scell'))
            elif kind == 'crit' and 'cr' in cols:
                leaf['cr'] = f"该指标权重{fmtnum(leaf['w'] + 2)}分，" + leaf['cr']; finds.append(('criteria-weight', leaf['code'], 'cell'))
            elif kind == 'dup' and not finds:  # alone: the other findings are looked up by code
                sib = [l for l in lvs if l is not leaf and l['code'][:-1] == leaf['code'][:-1] and not l.get('_planted')]
                if not sib: continue
                later = max(leaf, sib[0], key=lvs.index)
                later['code'] = (sib[0] if later is leaf else leaf)['code']
                later['_dupcell'] = True
                finds.append(('code-duplicate', later['code'], '=LATER'))
                break
            else:
                continue
            leaf['_planted'] = True
        if all(l.get('s') is None for l in lvs): finds = [f for f in finds if f[0] != 'score-missing']
        r = rng.random()
        if r < 0.7: o['totals'] = tot(t, label=rng.choice(['合计', '总计', '总分', '合  计', '合计（分）']))
        elif r < 0.8: o['totals'] = dict(label='合计')
        if rng.random() < 0.15: o['bottom'] = [[], ['填表人：张三', None, '审核人：李四']]
        elif rng.random() < 0.1: o['bottom'] = [['1.本表由项目单位填写。'], ['2.得分保留一位小数。']]
        if rng.random() < 0.1: o['repeat_header_after'] = 'B'
        if rng.random() < 0.1 and o['parent_mode'] != 'merged': o['hmerge_short_leaves'] = True
        if rng.random() < 0.1 and 'w' in cols and not o.get('two_row') and o.get('name_weight') is None and not any(cc.endswith('w') and cc != 'w' for cc in cols):
            # 权重 formatted as percentages: fractions of 1, 合计 1
            o['wfmt'] = lambda w: round(w / 100, 4)
            if o.get('totals', {}).get('w') is not None: o['totals']['w'] = 1
        writer = rng.choice(['openpyxl', 'openpyxl', 'xlsxwriter', 'handxml'])
        if o.get('col_offset') and writer == 'handxml': writer = 'openpyxl'
        case(f'sweep{seed}_{i}', t, o, fmt=rng.choice(['xlsx', 'xlsx', 'csv']), writer=writer,
             enc=rng.choice(['utf-8-sig', 'gbk', 'utf-8']), find=finds, before=before)
    failed = 0
    with tempfile.TemporaryDirectory() as root:
        for c in CASES:
            want = write_case(c, root, force=True, have_soffice=False)
            p = subprocess.run([jixiao, 'check', '--json', os.path.join(root, want['file'])], capture_output=True, text=True)
            try:
                problems = compare(want, json.loads(p.stdout))
            except ValueError:
                problems = [f'exit {p.returncode}: {p.stderr.strip()}']
            if problems:
                failed += 1
                keep = os.path.join('sweep-failures', want['file'])
                os.makedirs('sweep-failures', exist_ok=True)
                shutil.copyfile(os.path.join(root, want['file']), keep)
                print(f"FAIL {keep}: " + '; '.join(problems[:5]))
    print(f'{failed} of {len(CASES)} random tables failed' + (' (kept in sweep-failures/)' if failed else ''))
    return failed

def main():
    args = sys.argv[1:]
    if args and args[0] == '--sweep':
        # --sweep SEED COUNT [JIXIAO]: random shapes checked with the built binary, nothing written to Fixtures/.
        seed, count = int(args[1]), int(args[2])
        sys.exit(1 if sweep(seed, count, args[3] if len(args) > 3 else '.build/debug/jixiao') else 0)
    root = os.path.join('Fixtures', 'unseen')
    os.makedirs(root, exist_ok=True)
    have_soffice = shutil.which('soffice') is not None
    expected = [write_case(c, root, force='--force' in args, have_soffice=have_soffice) for c in CASES]
    with open(os.path.join(root, 'expected.json'), 'w', encoding='utf-8') as f:
        f.write('[\n' + ',\n'.join(json.dumps(e, ensure_ascii=False) for e in expected) + '\n]\n')
    print(f'{len(expected)} tables in {root}')

if __name__ == '__main__':
    main()
