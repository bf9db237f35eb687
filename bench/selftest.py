#!/usr/bin/env python3
"""Checks the benchmark harness itself, without jixiao: runs bench/harness.py --quick against a stand-in
`jixiao` (a small Python script doing the same jobs with the peer libraries), once working, once with `convert`
failing and `batch` missing, and checks the table it prints. Run with the venv's Python:

    .bench/venv/bin/python bench/selftest.py

Ends with the line "N passed, N failed"; exits 1 when a check failed.
"""
import os, re, stat, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

FAKE = r'''#!{python}
import csv, os, sys
sys.path.insert(0, {here!r})
import peers
a = sys.argv[1:]
if a == ['--version']:
    print('0.0.0-stand-in'); sys.exit(0)
if len(a) == 2 and a[1] == '--help':
    if a[0] in ('dump', 'convert', 'batch') and os.environ.get('FAKE_MISSING') != a[0]:
        print('USAGE: jixiao ' + a[0]); sys.exit(0)
    print('USAGE: jixiao <subcommand>'); sys.exit(0)
if os.environ.get('FAKE_FAIL') == a[0]:
    print('jixiao: error: stand-in failure', file=sys.stderr); sys.exit(2)
if a[0] == 'dump':
    w = csv.writer(sys.stdout, lineterminator='\n')
    if a[1].endswith('.csv'):
        with open(a[1], encoding='utf-8', newline='') as f:
            w.writerows(csv.reader(f))
    else:
        from python_calamine import CalamineWorkbook
        wb = CalamineWorkbook.from_path(a[1])
        sheet = wb.get_sheet_by_name(a[a.index('--sheet') + 1]) if '--sheet' in a else wb.get_sheet_by_index(0)
        w.writerows(sheet.to_python())
elif a[0] == 'convert':
    peers.xlsxwriter_write(a[1], a[2])
elif a[0] == 'batch':
    peers.openpyxl_bulk(a[1], a[a.index('--out') + 1], int(a[a.index('--jobs') + 1]))
else:
    sys.exit(64)
'''

passed = failed = 0


def check(name, cond, detail=''):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL {name} {detail}')


def run(fake, env_extra, *args):
    env = dict(os.environ, **env_extra)
    r = subprocess.run([sys.executable, os.path.join(HERE, 'harness.py'), '--quick', '--no-write-md',
                        '--jixiao', fake, *args], capture_output=True, text=True, env=env)
    rows = {}
    for line in r.stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if line.startswith('| ') and len(cells) >= 4 and not cells[0].startswith('comparison') \
                and not cells[0].startswith('target'):
            rows[cells[0]] = cells
    return r, rows


def main():
    with tempfile.TemporaryDirectory() as d:
        fake = os.path.join(d, 'jixiao')
        with open(fake, 'w') as f:
            f.write(FAKE.format(python=sys.executable, here=HERE))
        os.chmod(fake, os.stat(fake).st_mode | stat.S_IXUSR)

        r, rows = run(fake, {}, '--scale')
        check('exit 0', r.returncode == 0, r.stderr[-500:])
        time_re = re.compile(r'^\d+\.\d+ s \(cpu \d+\.\d+ s\)$')
        for name in ('read XLSX', 'write XLSX', 'bulk, 2 workers', 'read CSV', 'read XLSX, 10× rows'):
            row = rows.get(name)
            check(f'{name}: row present', row is not None, str(list(rows)))
            if row:
                check(f'{name}: jixiao median', bool(time_re.match(row[3])), row[3])
                check(f'{name}: peer median', bool(time_re.match(row[6])), row[6])
                check(f'{name}: RSS', row[4].endswith(' MB') and row[7].endswith(' MB'), f'{row[4]} {row[7]}')
                check(f'{name}: ratio', re.match(r'^\d+\.\d{3}$', row[8]) is not None, row[8])
        for name in ('read XLSX', 'write XLSX', 'bulk, 2 workers', 'read CSV', 'read XLSX, 10× rows'):
            row = rows.get(name)
            if row:
                check(f'{name}: output check', row[9].startswith('✓'), row[9])
        targets = [k for k in rows if ' ≤ ' in k or ' ≥ ' in k or ' < ' in k]
        check('7 targets', len(targets) == 7, str(targets))
        check('targets measured', all(rows[k][-1] in ('✓', '✗') for k in targets),
              str([rows[k][-1] for k in targets]))

        r, rows = run(fake, {'FAKE_FAIL': 'convert', 'FAKE_MISSING': 'batch'}, '--only', 'write,bulk')
        check('exit 0 despite failures', r.returncode == 0, r.stderr[-500:])
        w, b = rows.get('write XLSX'), rows.get('bulk, 2 workers')
        check('failed command reported', w is not None and w[3].startswith('failed (exit 2'), str(w))
        check('missing command reported', b is not None and b[3].startswith('missing'), str(b))
        check('peer still timed', b is not None and time_re.match(b[6]) is not None, str(b))

        r, rows = run(os.path.join(d, 'nonexistent'), {}, '--only', 'csv')
        check('no jixiao binary: exit 0', r.returncode == 0, r.stderr[-500:])
        c = rows.get('read CSV')
        check('no jixiao binary: missing', c is not None and c[3].startswith('missing'), str(c))

    print(f'{passed} passed, {failed} failed')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
