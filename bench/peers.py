#!/usr/bin/env python3
"""The Python programs jixiao is timed against. Each does the same work as the jixiao command it is paired with.

  peers.py calamine-read BIG.xlsx          python-calamine: every value of every sheet as Python objects
  peers.py csv-read BIG.csv                csv.reader: every row, each field made a typed value
  peers.py xlsxwriter-write BIG.csv OUT    csv.reader + typed values -> xlsxwriter constant_memory workbook
  peers.py openpyxl-bulk DIR OUT [--jobs N] openpyxl, multiprocessing.Pool(N): load each workbook, sum its
                                           得分 column, write the sum into the 合计 row, save it to OUT

Each prints one summary line (counts) on stdout; the harness sends it to /dev/null when timing.
"""
import datetime, os, sys


def typed(s):
    """The value a CSV field stands for, as a spreadsheet reader types it: bool, date, number or string."""
    if not s:
        return None
    c = s[0]
    if c.isdigit() or c in '-+.':
        if len(s) == 10 and s[4] == '-' and s[7] == '-':
            try:
                return datetime.date.fromisoformat(s)
            except ValueError:
                return s
        try:
            return float(s)
        except ValueError:
            return s
    if s == 'TRUE':
        return True
    if s == 'FALSE':
        return False
    return s


def calamine_read(path):
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(path)
    n = cells = 0
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python()
        n += len(rows)
        cells += sum(len(r) for r in rows)
    print(f'sheets={len(wb.sheet_names)} rows={n} cells={cells}')


def csv_read(path):
    import csv
    n = cells = 0
    with open(path, encoding='utf-8', newline='') as f:
        for row in csv.reader(f):
            values = [typed(s) for s in row]
            n += 1
            cells += len(values)
    print(f'rows={n} cells={cells}')


def xlsxwriter_write(src, dst):
    import csv, xlsxwriter
    wb = xlsxwriter.Workbook(dst, {'constant_memory': True})
    ws = wb.add_worksheet('Sheet1')
    date_fmt = wb.add_format({'num_format': 'yyyy-mm-dd'})
    n = 0
    with open(src, encoding='utf-8', newline='') as f:
        for r, row in enumerate(csv.reader(f)):
            for c, s in enumerate(row):
                v = typed(s)
                if v is None:
                    continue
                t = type(v)
                if t is float:
                    ws.write_number(r, c, v)
                elif t is str:
                    ws.write_string(r, c, v)
                elif t is bool:
                    ws.write_boolean(r, c, v)
                else:
                    ws.write_datetime(r, c, datetime.datetime(v.year, v.month, v.day), date_fmt)
            n += 1
    wb.close()
    print(f'rows={n}')


def _bulk_one(job):
    from openpyxl import load_workbook
    src, dst = job
    wb = load_workbook(src)
    ws = wb.worksheets[0]
    score_col = header_row = None
    for row in ws.iter_rows(min_row=1, max_row=10):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == '得分':
                score_col, header_row = cell.column, cell.row
                break
        if score_col:
            break
    if score_col is None:
        raise SystemExit(f'{src}: no 得分 header')
    total, total_row = 0.0, None
    for r in range(header_row + 1, ws.max_row + 1):
        first = ws.cell(r, 1).value
        if isinstance(first, str) and first.strip() in ('合计', '总计', '总分'):
            total_row = r
            break
        v = ws.cell(r, score_col).value
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            total += v
    if total_row is None:
        raise SystemExit(f'{src}: no 合计 row')
    ws.cell(total_row, score_col).value = total
    wb.save(dst)
    return total


def openpyxl_bulk(src_dir, out_dir, jobs):
    from multiprocessing import Pool
    os.makedirs(out_dir, exist_ok=True)
    names = sorted(n for n in os.listdir(src_dir) if n.endswith('.xlsx'))
    work = [(os.path.join(src_dir, n), os.path.join(out_dir, n)) for n in names]
    with Pool(jobs) as pool:
        totals = pool.map(_bulk_one, work, chunksize=8)
    print(f'workbooks={len(totals)} sum={sum(totals):g}')


def main(argv):
    if len(argv) >= 2 and argv[0] == 'calamine-read':
        calamine_read(argv[1])
    elif len(argv) >= 2 and argv[0] == 'csv-read':
        csv_read(argv[1])
    elif len(argv) >= 3 and argv[0] == 'xlsxwriter-write':
        xlsxwriter_write(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == 'openpyxl-bulk':
        jobs = int(argv[argv.index('--jobs') + 1]) if '--jobs' in argv else 2
        openpyxl_bulk(argv[1], argv[2], jobs)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
