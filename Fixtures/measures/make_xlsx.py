#!/usr/bin/env python3
"""Writes seed000_measures.xlsx from seed000_measures.csv (same rows; the XLSX form of the measures file),
with the zip writer of ../selfeval/make_fixture.py. No third-party packages."""
import csv, importlib.util, os, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("mk", os.path.join(HERE, "..", "selfeval", "make_fixture.py"))
mk = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mk)

def main():
    with open(os.path.join(HERE, "seed000_measures.csv"), encoding="utf-8-sig", newline="") as f:
        rows = [[(c if c != "" else None) for c in r] for r in csv.reader(f)]
    mk.rows = rows
    mk.merges = []
    files = dict(mk.FILES)
    files["xl/workbook.xml"] = files["xl/workbook.xml"].replace('name="自评表"', 'name="测量值"')
    xml = mk.sheet_xml().replace('<mergeCells count="0"></mergeCells>', "")
    path = os.path.join(HERE, "seed000_measures.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"]:
            info = zipfile.ZipInfo(name, date_time=(2024, 6, 6, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2024, 6, 6, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, xml)
    print("wrote", path)

if __name__ == "__main__":
    main()
