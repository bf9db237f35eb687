#!/usr/bin/env python3
"""Generates the CSV fixtures in every encoding and delimiter from the two CSVs Excel saved.

Run from anywhere: python3 scripts/make-csv-fixtures.py
Inputs (committed): Fixtures/csv/seed000_project_framework.csv (UTF-8 BOM), seed002_department_framework_gbk.csv.
Outputs: Fixtures/csv/seed000_project_framework_{utf8,gb18030,semicolon}.csv, _tab.tsv, _utf16le.txt,
_utf16be.txt; seed002_department_framework_{utf8bom.csv,utf16le.txt}. UTF-16 files are Excel's "Unicode text":
BOM, tab-separated, CRLF.
"""
import csv
import io
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "csv")


def load(name, encoding):
    with open(os.path.join(ROOT, name), encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def text(rows, delimiter):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buf.getvalue()


def save(name, data):
    with open(os.path.join(ROOT, name), "wb") as f:
        f.write(data)
    print(name, len(data), "bytes")


def main():
    s0 = load("seed000_project_framework.csv", "utf-8-sig")
    s2 = load("seed002_department_framework_gbk.csv", "gbk")
    save("seed000_project_framework_utf8.csv", text(s0, ",").encode("utf-8"))
    save("seed000_project_framework_gb18030.csv", text(s0, ",").encode("gb18030"))
    save("seed000_project_framework_semicolon.csv", text(s0, ";").encode("utf-8-sig"))
    save("seed000_project_framework_tab.tsv", text(s0, "\t").encode("utf-8"))
    save("seed000_project_framework_utf16le.txt", b"\xff\xfe" + text(s0, "\t").encode("utf-16-le"))
    save("seed000_project_framework_utf16be.txt", b"\xfe\xff" + text(s0, "\t").encode("utf-16-be"))
    save("seed002_department_framework_utf8bom.csv", text(s2, ",").encode("utf-8-sig"))
    save("seed002_department_framework_utf16le.txt", b"\xff\xfe" + text(s2, "\t").encode("utf-16-le"))


if __name__ == "__main__":
    main()
