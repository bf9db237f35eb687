#!/usr/bin/env python3
"""Writes Fixtures/golden/grids/<fixture>.json for the XLSX fixtures, read by an independent reader
(Python's zipfile + ElementTree), in the shape of `jixiao dump --json` (see ../shared/corpus/README.md).
Handles what the fixtures use: inline and shared strings, numbers, booleans, merges. Rerun when fixtures change."""
import json, os, re, sys, zipfile
import xml.etree.ElementTree as ET

M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
R = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}'

def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1

def ref(a1):
    m = re.match(r'([A-Z]+)(\d+)$', a1)
    return int(m.group(2)) - 1, col_index(m.group(1))

def text_of(el):
    return ''.join(t.text or '' for t in el.iter(M + 't'))

def read(path):
    z = zipfile.ZipFile(path)
    sst = []
    if 'xl/sharedStrings.xml' in z.namelist():
        sst = [text_of(si) for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(M + 'si')]
    wb = ET.fromstring(z.read('xl/workbook.xml'))
    rels = {r.get('Id'): r.get('Target') for r in ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))}
    sheets = []
    for s in wb.iter(M + 'sheet'):
        target = rels[s.get(R + 'id')].lstrip('/')
        if not target.startswith('xl/'):
            target = 'xl/' + target
        root = ET.fromstring(z.read(target))
        cells = {}
        for c in root.iter(M + 'c'):
            t = c.get('t', 'n'); v = c.find(M + 'v')
            if t == 'inlineStr':
                val = text_of(c.find(M + 'is'))
            elif v is None:
                continue
            elif t == 's':
                val = sst[int(v.text)]
            elif t == 'b':
                val = v.text == '1'
            elif t in ('str', 'e'):
                val = v.text if t == 'str' else None
            else:
                f = float(v.text)
                val = int(f) if f == int(f) else f
            if val == '' or val is None:
                continue
            cells[ref(c.get('r'))] = val
        merged = sorted((m.get('ref') for m in root.iter(M + 'mergeCell')), key=lambda r: ref(r.split(':')[0]))
        if cells:
            r0 = min(r for r, _ in cells); c0 = min(c for _, c in cells)
            r1 = max(r for r, _ in cells)
            rows = []
            for r in range(r0, r1 + 1):
                row = [cells.get((r, c)) for c in range(c0, 1 + max([c for (rr, c) in cells if rr == r] or [c0 - 1]))]
                rows.append(row)
            start = [r0, c0]
        else:
            rows, start = [], None
        sheets.append({'name': s.get('name'), 'visible': s.get('state', 'visible').lower(),
                       'merged': merged, 'start': start, 'rows': rows})
    return {'sheets': sheets}

def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Fixtures')
    out = os.path.join(root, 'golden', 'grids')
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(os.path.join(root, 'xlsx'))):
        if not name.endswith('.xlsx'):
            continue
        doc = read(os.path.join(root, 'xlsx', name))
        with open(os.path.join(out, name + '.json'), 'w', encoding='utf-8') as f:
            f.write('{"sheets": [\n')
            for i, s in enumerate(doc['sheets']):
                head = {k: s[k] for k in ('name', 'visible', 'merged', 'start')}
                f.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": [\n')
                f.write(',\n'.join(json.dumps(r, ensure_ascii=False) for r in s['rows']))
                f.write('\n]}' + (',' if i + 1 < len(doc['sheets']) else '') + '\n')
            f.write(']}\n')
        print('wrote', os.path.join('Fixtures/golden/grids', name + '.json'))

if __name__ == '__main__':
    main()
