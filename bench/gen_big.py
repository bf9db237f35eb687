#!/usr/bin/env python3
"""Writes the big-sheet benchmark inputs: an XLSX (xlsxwriter, shared strings) and the same data as UTF-8 CSV.

Usage: gen_big.py --rows N --seed S --xlsx OUT.xlsx [--csv OUT.csv] [--sheet-rows M]

One sheet 数据 with one header row, then N data rows of 10 columns. When N > M (default 1,000,000; a sheet
holds at most 1,048,576 rows), the rows are split over sheets 数据1, 数据2, ... of M data rows each, every one
with the header row (the CSV stays one table). Columns:
  序号 integer | 单位 short Chinese string (40 distinct) | 项目 Chinese string (300 distinct) | 金额 number (2 dp)
  | 日期 date | 完成 boolean | 完成率 number (0..1, 4 dp) | 类别 Chinese string (8 distinct) | 数量 integer
  | 备注 Chinese string (1,000 distinct)
Deterministic for a given --seed (random.Random). The CSV has the same cells: dates as YYYY-MM-DD, booleans as
TRUE/FALSE, numbers as Python's repr (shortest round-trip form). No BOM, LF line ends, minimal quoting.
"""
import argparse, csv, datetime, random

UNITS_A = ['财政', '教育', '卫生', '交通', '水务', '农业', '民政', '文旅', '科技', '人社']
UNITS_B = ['局', '委', '中心', '办']
ITEMS_A = ['道路', '学校', '医院', '河道', '农田', '社区', '公园', '图书馆', '养老院', '污水厂',
           '桥梁', '绿化', '管网', '信息化', '培训']
ITEMS_B = ['建设', '维护', '改造', '运营', '补助', '采购', '评估', '监管', '宣传', '保障',
           '提升', '整治', '更新', '扩容', '巡查', '服务', '验收', '设计', '规划', '监测']
KINDS = ['项目支出', '基本支出', '专项转移', '政府采购', '基建投资', '运转经费', '人员经费', '其他']
NOTE_A = ['按期', '提前', '延期', '部分', '全面', '分批', '逐步', '如期', '超额', '基本']
NOTE_B = ['完成', '推进', '实施', '验收', '拨付', '结算', '审核', '整改', '上报', '归档']
NOTE_C = ['一季度', '二季度', '三季度', '四季度', '上半年', '下半年', '年初', '年末', '月内', '当年']

HEADER = ['序号', '单位', '项目', '金额', '日期', '完成', '完成率', '类别', '数量', '备注']
EPOCH = datetime.date(2020, 1, 1)


def rows(n, seed):
    rnd = random.Random(seed)
    units = [a + b for a in UNITS_A for b in UNITS_B]            # 40
    items = [a + b for a in ITEMS_A for b in ITEMS_B]            # 300
    notes = [a + b + c for a in NOTE_A for b in NOTE_B for c in NOTE_C]  # 1000
    for i in range(n):
        yield [
            i + 1,
            units[rnd.randrange(len(units))],
            items[rnd.randrange(len(items))],
            round(rnd.uniform(0, 1_000_000), 2),
            EPOCH + datetime.timedelta(days=rnd.randrange(2200)),
            rnd.random() < 0.7,
            round(rnd.random(), 4),
            KINDS[rnd.randrange(len(KINDS))],
            rnd.randrange(1, 10_000),
            notes[rnd.randrange(len(notes))],
        ]


def csv_field(v):
    if isinstance(v, bool):
        return 'TRUE' if v else 'FALSE'
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v if isinstance(v, str) else repr(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rows', type=int, required=True)
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--xlsx', required=True)
    ap.add_argument('--csv')
    ap.add_argument('--sheet-rows', type=int, default=1_000_000)
    a = ap.parse_args()
    if not 0 < a.sheet_rows < 1_048_576:
        ap.error('--sheet-rows must be between 1 and 1,048,575')

    import xlsxwriter
    # Default (not constant_memory) mode: strings go to the shared-string table, as Excel writes them.
    wb = xlsxwriter.Workbook(a.xlsx, {'strings_to_numbers': False, 'strings_to_formulas': False,
                                      'strings_to_urls': False})
    wb.set_properties({'created': datetime.datetime(2024, 1, 1)})
    date_fmt = wb.add_format({'num_format': 'yyyy-mm-dd'})
    money_fmt = wb.add_format({'num_format': '#,##0.00'})
    sheets = (a.rows + a.sheet_rows - 1) // a.sheet_rows
    out = None
    if a.csv:
        f = open(a.csv, 'w', encoding='utf-8', newline='')
        out = csv.writer(f, lineterminator='\n')
        out.writerow(HEADER)
    ws, r = None, 0
    for i, row in enumerate(rows(a.rows, a.seed)):
        if i % a.sheet_rows == 0:
            ws = wb.add_worksheet('数据' if sheets == 1 else f'数据{i // a.sheet_rows + 1}')
            ws.write_row(0, 0, HEADER)
            r = 0
        r += 1
        ws.write_number(r, 0, row[0])
        ws.write_string(r, 1, row[1])
        ws.write_string(r, 2, row[2])
        ws.write_number(r, 3, row[3], money_fmt)
        ws.write_datetime(r, 4, datetime.datetime.combine(row[4], datetime.time()), date_fmt)
        ws.write_boolean(r, 5, row[5])
        ws.write_number(r, 6, row[6])
        ws.write_string(r, 7, row[7])
        ws.write_number(r, 8, row[8])
        ws.write_string(r, 9, row[9])
        if out is not None:
            out.writerow([csv_field(v) for v in row])
    wb.close()
    if out is not None:
        f.close()


if __name__ == '__main__':
    main()
