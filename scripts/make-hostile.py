#!/usr/bin/env python3
"""Writes the hostile workbook and CSV fixtures of issue 8 into Fixtures/hostile/ (xlsx_*.xlsx, csv_*.csv).

Each file carries one attack on the reader; Fixtures/hostile/README.md says what each must give and
Tests/JixiaoCLITests/HostileCLITests.swift checks it (exit code 2 or a read within limits, a clear message,
under 2 seconds and 200 MB). The ZIP-level fixtures of the same folder come from make-hostile-zips.py.
Deterministic: re-running gives the same bytes. The committed files are small; the large ones are written
only with --big DIR (the tests build the same files themselves at run time):

    scripts/make-hostile.py              # (re)write the small fixtures
    scripts/make-hostile.py --big DIR    # also DIR/xlsx_bomb_1g_workbook.xlsx (1 GB of zeros, ~1 MB),
                                         # DIR/xlsx_bomb_1g_sheet.xlsx (1 GB of spaces) and
                                         # DIR/csv_field_100m.csv (one 100 MB quoted field)
"""
import os
import struct
import sys
import zipfile
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Fixtures", "hostile")
SEED = os.path.join(ROOT, "Fixtures", "xlsx", "seed000_project_framework.xlsx")
DATE = (1980, 1, 1, 0, 0, 0)

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 '</Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
             '</Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 '</Relationships>')


def sheet(rows_xml, merges="", prolog='<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'):
    m = f'<mergeCells count="1">{merges}</mergeCells>' if merges else ""
    return f'{prolog}<worksheet xmlns="{NS}"><sheetData>{rows_xml}</sheetData>{m}</worksheet>'


def package(parts, stored=()):
    """A workbook from {name: str|bytes}; the basic parts are added when missing."""
    base = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELS}
    base.update(parts)
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in base.items():
            if isinstance(data, str):
                data = data.encode("utf-8")
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.create_system = 0
            z.writestr(info, data)
    return buf.getvalue()


def seed_parts():
    with zipfile.ZipFile(SEED) as z:
        return {n: z.read(n) for n in z.namelist()}


def seed_with_sheet(edit):
    """The seed-000 table (a real 4-level indicator table) with its sheet XML edited."""
    parts = seed_parts()
    parts["xl/worksheets/sheet1.xml"] = edit(parts["xl/worksheets/sheet1.xml"].decode("utf-8")).encode("utf-8")
    return package(parts)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")


def cell(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def small():
    # XML entity attacks: every DOCTYPE is refused before any entity is declared or expanded.
    lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
    laughs = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol0 "lol">{lol}]>'
              f'<worksheet xmlns="{NS}"><sheetData><row r="1">{cell("A1", "&lol9;")}</row></sheetData></worksheet>')
    write("xlsx_billion_laughs.xlsx", package({"xl/worksheets/sheet1.xml": laughs}))

    xxe = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           f'<worksheet xmlns="{NS}"><sheetData><row r="1">{cell("A1", "&xxe;")}</row></sheetData></worksheet>')
    write("xlsx_xxe_passwd.xlsx", package({"xl/worksheets/sheet1.xml": xxe}))

    # An external DTD (no entity declared in the document): must not be loaded either.
    ext = WORKBOOK.replace("<workbook ", '<!DOCTYPE workbook SYSTEM "file:///etc/passwd"><workbook ', 1)
    write("xlsx_xxe_external_dtd.xlsx", package({"xl/workbook.xml": ext,
                                                 "xl/worksheets/sheet1.xml": sheet(f'<row r="1">{cell("A1", "x")}</row>')}))

    # A parameter entity pulling /etc/passwd into the DTD, in the package relationships.
    rels = ROOT_RELS.replace("<Relationships ", '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><Relationships ', 1)
    write("xlsx_xxe_rels.xlsx", package({"_rels/.rels": rels,
                                         "xl/worksheets/sheet1.xml": sheet(f'<row r="1">{cell("A1", "x")}</row>')}))

    sst = (f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY e "绩效">]><sst xmlns="{NS}" count="1" uniqueCount="1">'
           '<si><t>&e;</t></si></sst>')
    write("xlsx_doctype_sharedstrings.xlsx", package({
        "xl/sharedStrings.xml": sst,
        "xl/worksheets/sheet1.xml": sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')}))

    # The last cell of a sheet, and a merge over the whole sheet, on a real indicator table.
    write("xlsx_cell_xfd1048576.xlsx", seed_with_sheet(lambda s: s.replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>7</v></c></row></sheetData>', 1)))
    write("xlsx_merge_whole_sheet.xlsx", seed_with_sheet(lambda s: s.replace(
        '<mergeCells count="20">', '<mergeCells count="21"><mergeCell ref="A1:XFD1048576" />', 1)))
    # Merges down to the last row in every table column, and 90 merges of 100,000 rows: the normaliser
    # indexes merges over the rows that hold cells only (it used to fill a million-entry index: 225 MB).
    tall = "".join(f'<mergeCell ref="{c}36:{c}1048576" />' for c in "ABCDEFGHI")
    tall += "".join(f'<mergeCell ref="{c}{r}:{c}{r + 99_999}" />' for c in "ABCDEFGHI" for r in range(40, 1_000_000, 100_000))
    write("xlsx_tall_merges.xlsx", seed_with_sheet(lambda s: s.replace(
        '<mergeCells count="20">', '<mergeCells count="119">' + tall, 1)))
    # 60,000 small merges over the first 150 rows and no header: the header search looks at a bounded
    # number of merges per row (it used to scan them all for every column of every row: minutes).
    many = "".join(f'<mergeCell ref="{col(9 + i // 150)}{1 + i % 150}:{col(9 + i // 150)}{2 + i % 150}"/>'
                   for i in range(60_000))
    write("xlsx_many_merges.xlsx", seed_with_sheet(lambda s: s.replace(
        '<mergeCells count="20">', '<mergeCells count="60020">' + many, 1).replace("一级指标", "一级").replace("二级指标", "甲")))

    # Cell references past the end of a sheet (XFE1, A1048577): dropped or re-placed, never a crash.
    write("xlsx_refs_past_end.xlsx", package({"xl/worksheets/sheet1.xml": sheet(
        '<row r="1"><c r="XFE1"><v>1</v></c><c r="A1048577"><v>2</v></c><c r="ZZZZ9"><v>3</v></c></row>'
        '<row r="1048577"><c><v>4</v></c></row><row r="99999999999"><c r="B2"><v>5</v></c></row>',
        merges='<mergeCell ref="A1:XFE1048577"/>')}))

    # 100,000 nested elements inside a cell's row.
    deep = sheet('<row r="1">' + "<x>" * 100_000 + "</x>" * 100_000 + "</row>")
    write("xlsx_deep_nesting.xlsx", package({"xl/worksheets/sheet1.xml": deep}))

    # 20,000 attributes on one element (limit maxXMLAttributes 256).
    attrs = " ".join(f'a{i}="1"' for i in range(20_000))
    write("xlsx_many_attributes.xlsx", package({"xl/worksheets/sheet1.xml": sheet(f'<row r="1" {attrs}/>')}))

    # One shared string of 1 MB (limit maxStringLength 131,068 bytes).
    write("xlsx_long_shared_string.xlsx", package({
        "xl/sharedStrings.xml": f'<sst xmlns="{NS}"><si><t>{"长" * 350_000}</t></si></sst>',
        "xl/worksheets/sheet1.xml": sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')}))

    # A full row (16,384 cells), then 100,000 repeats of the same row holding its last cell: merging the
    # repeats must not cost a scan of the row each (that was quadratic: minutes).
    full = '<row r="1">' + "".join(f'<c r="{col(i)}1"><v>{i}</v></c>' for i in range(16_384)) + "</row>"
    write("xlsx_repeated_rows.xlsx", package({"xl/worksheets/sheet1.xml": sheet(
        noise_comment(60_000) + full + '<row r="1"><c r="XFD1"><v>1</v></c></row>' * 100_000)}))

    # Rows out of order and one row split over two <row> elements (hand-rolled writers): `dump --csv` streams,
    # so it reads such a small sheet whole instead; past the first 64 KB of output it refuses (exit 2).
    write("xlsx_rows_out_of_order.xlsx", package({"xl/worksheets/sheet1.xml": sheet(
        '<row r="3"><c r="A3"><v>3</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c></row><row r="1"><c r="B1"><v>12</v></c></row>')}))
    write("xlsx_rows_out_of_order_late.xlsx", package({"xl/worksheets/sheet1.xml": sheet(
        "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>第{r}行：产出指标、效益指标</t></is></c></row>'
                for r in range(1, 3001)) + '<row r="1"><c r="C1"><v>1</v></c></row>')}))

    # 200,000 cells naming A1 inside one <row>, after 40 KB of poorly compressible text so that the
    # compression ratio stays under the limit: the reader must not buffer them all (it keeps distinct cells).
    write("xlsx_one_cell_repeated.xlsx", package({"xl/worksheets/sheet1.xml": sheet(
        noise_comment(40_000) + '<row r="1">' + '<c r="A1"><v>1</v></c>' * 200_000 + "</row>")}))

    # Relationship targets outside the package: never read from the file system.
    bad_rels = WORKBOOK_RELS.replace('Target="worksheets/sheet1.xml"', 'Target="../../../../../../etc/passwd"')
    bad_rels = bad_rels.replace('Target="sharedStrings.xml"', 'Target="file:///etc/passwd" TargetMode="External"')
    write("xlsx_rels_outside.xlsx", package({"xl/_rels/workbook.xml.rels": bad_rels}))

    # Sheet names that would be dangerous as file names.
    names = ['../../../tmp/evil', '/etc/passwd', 'a\tb\nc', '..', 'CON']
    wb = ('<?xml version="1.0" encoding="UTF-8"?>'
          f'<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          + "".join(f'<sheet name="{n.replace(chr(9), "&#9;").replace(chr(10), "&#10;")}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                    for i, n in enumerate(names))
          + "</sheets></workbook>")
    rels = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                      for i in range(len(names))) + "</Relationships>")
    parts = {"xl/workbook.xml": wb, "xl/_rels/workbook.xml.rels": rels}
    for i in range(len(names)):
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = sheet(f'<row r="1">{cell("A1", "x")}</row>')
    write("xlsx_sheet_names_paths.xlsx", package(parts))

    # Sheet names Excel would refuse but other writers (LibreOffice, openpyxl) write: longer than 31
    # characters, two of them equal in their first 31, and an apostrophe at the start.
    long_names = ["部门整体支出绩效评价指标体系表（2024年度）项目支出绩效自评表一", "部门整体支出绩效评价指标体系表（2024年度）项目支出绩效自评表二",
                  "'引号'"]
    wb = ('<?xml version="1.0" encoding="UTF-8"?>'
          f'<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          + "".join(f'<sheet name="{n.replace(chr(39), "&apos;")}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(long_names))
          + "</sheets></workbook>")
    parts = {"xl/workbook.xml": wb, "xl/_rels/workbook.xml.rels": rels.replace('<Relationship Id="rId4"', '<X').split("<X")[0] + "</Relationships>"}
    for i in range(len(long_names)):
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = sheet(f'<row r="1">{cell("A1", str(i + 1))}</row>')
    write("xlsx_sheet_names_long.xlsx", package(parts))

    # Malformed XML: libxml2's own message (here about a character reference, on two lines in some
    # libxml2 versions) goes into the one error line with the part name, never to the terminal.
    write("xlsx_malformed_xml.xlsx", package({
        "xl/workbook.xml": WORKBOOK.replace('name="Sheet1"', 'name="a&#x1;b"'),
        "xl/worksheets/sheet1.xml": sheet(f'<row r="1">{cell("A1", "x")}</row>')}))
    write("xlsx_bad_encoding.xlsx", package({
        "xl/worksheets/sheet1.xml": sheet(f'<row r="1">{cell("A1", "x")}</row>').encode("utf-8").replace(b"<t>x</t>", b"<t>\xff\xfe</t>")}))

    # 5,000 sheets listed on one sheet part of 20,000 cells: read once (later listings left out), not
    # 5,000 times (it took 1.4 GB and minutes).
    fan = ('<?xml version="1.0" encoding="UTF-8"?>'
           f'<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
           + "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId1"/>' for i in range(5000)) + "</sheets></workbook>")
    grid = "".join(f'<row r="{r}">' + "".join(f'<c r="{col(c)}{r}"><v>{r * c}</v></c>' for c in range(20)) + "</row>"
                   for r in range(1, 1001))
    write("xlsx_sheet_fanout.xlsx", package({"xl/workbook.xml": fan,
                                             "xl/worksheets/sheet1.xml": sheet(noise_comment(3000) + grid)}))

    # A shared formula of 120 KB (over Excel's 8,192-character limit) with 20,000 dependents: 2.4 GB of
    # moved formula text, and minutes. The dependents now keep their values without the formula text; a
    # valid master's expansion is bounded by maxFormulaExpansion.
    master = "A1+" * 40_000 + "A1"
    rows = f'<row r="1"><c r="B1"><f t="shared" ref="B1:B20001" si="0">{master}</f><v>1</v></c></row>'
    rows += "".join(f'<row r="{r}"><c r="B{r}"><f t="shared" si="0"/></c></row>' for r in range(2, 20_002))
    write("xlsx_shared_formula_bomb.xlsx", package({"xl/worksheets/sheet1.xml": sheet(rows)}))
    # A valid 1,000-character master with 2,000 dependents (2 MB of formula text): read, or refused with
    # --max-formula-expansion 100K.
    master = "SUM(A1:A9)+" * 90 + "A1"
    rows = f'<row r="1"><c r="B1"><f t="shared" ref="B1:B2001" si="0">{master}</f><v>1</v></c></row>'
    rows += "".join(f'<row r="{r}"><c r="B{r}"><f t="shared" si="0"/><v>{r}</v></c></row>' for r in range(2, 2_002))
    write("xlsx_shared_formula_chain.xlsx", package({"xl/worksheets/sheet1.xml": sheet(rows)}))

    # Damaged containers.
    seed = open(SEED, "rb").read()
    write("xlsx_truncated.xlsx", seed[: len(seed) // 2])
    parts = seed_parts()
    good = package(parts, stored=("xl/worksheets/sheet1.xml",))
    at = good.index(b"<sheetData>") + 200
    write("xlsx_bad_crc.xlsx", good[:at] + bytes([good[at] ^ 0x20]) + good[at + 1:])
    write("xlsx_overlap_entries.xlsx", overlapping())
    # An OLE/CFB container (how Excel stores a password-protected workbook).
    cfb = bytearray(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + bytes(16) + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9))
    cfb += bytes(512 - len(cfb))
    cfb += "EncryptionInfo".encode("utf-16-le") + bytes(4096 - len(cfb) % 4096)
    write("xlsx_ole_encrypted.xlsx", bytes(cfb))

    write("csv_unterminated_quote.csv", "一级指标,二级指标,三级指标\n产出,数量,\"完成率 100%\n未闭合的引号……\n".encode("utf-8")
          + b"x" * 2000 + b"\n")


def noise_comment(n):
    """An XML comment of n pseudo-random letters and digits (deterministic; compresses to about 5/8)."""
    x = 12345
    out = bytearray()
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(b"abcdefghijklmnopqrstuvwxyz0123456789"[(x >> 16) % 36])
    return "<!--" + out.decode() + "-->"


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def overlapping():
    """A workbook whose central directory lists the sheet twice over the same bytes, the second time as
    xl/sharedStrings.xml: one stored part read as two."""
    data = package({"xl/worksheets/sheet1.xml": sheet(f'<row r="1">{cell("A1", "x")}</row>')},
                   stored=("xl/worksheets/sheet1.xml",))
    eocd = data.rindex(b"PK\x05\x06")
    count, cd_size, cd_off = struct.unpack("<HII", data[eocd + 10:eocd + 20])
    cd = data[cd_off:cd_off + cd_size]
    entries, o = [], 0
    while o < len(cd):
        n, m, k = struct.unpack("<HHH", cd[o + 28:o + 34])
        entries.append(cd[o:o + 46 + n + m + k])
        o += 46 + n + m + k
    sheet_entry = next(e for e in entries if e[46:46 + struct.unpack("<H", e[28:30])[0]] == b"xl/worksheets/sheet1.xml")
    name = b"xl/sharedStrings.xml"
    twin = sheet_entry[:28] + struct.pack("<H", len(name)) + sheet_entry[30:46] + name
    new_cd = cd + twin
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count + 1, count + 1, len(new_cd), cd_off, 0)
    return data[:cd_off] + new_cd + end


# ---- Large files (not committed) --------------------------------------------------------------------

def bomb(path, part, fill, head=b"", tail=b"", size=1 << 30):
    """A workbook whose `part` is `head` + (size bytes of `fill`) + `tail`, deflated (~1 MB)."""
    seg = 1 << 20
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = fill * seg
    payload = bytearray(c.compress(head) + c.flush(zlib.Z_SYNC_FLUSH))
    first = c.compress(block) + c.flush(zlib.Z_SYNC_FLUSH)
    second = c.compress(block) + c.flush(zlib.Z_SYNC_FLUSH)
    payload += first + second * (size // seg - 1)
    payload += c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(size // seg):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    total = len(head) + size + len(tail)
    # Everything else is a small normal package; the bomb part is appended by hand (zipfile would deflate).
    base = package({"xl/worksheets/sheet1.xml": sheet('<row r="1"><c r="A1"><v>1</v></c></row>')}
                   if part != "xl/worksheets/sheet1.xml" else {}, stored=())
    base_parts = {}
    import io
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        for n in z.namelist():
            if n != part:
                base_parts[n] = z.read(n)
    out = bytearray()
    central = bytearray()
    items = list(base_parts.items()) + [(part, None)]
    for name, data in items:
        raw = name.encode()
        if data is None:
            comp, c32, usize = bytes(payload), crc & 0xFFFFFFFF, total
        else:
            co = zlib.compressobj(6, zlib.DEFLATED, -15)
            comp, c32, usize = co.compress(data) + co.flush(), zlib.crc32(data), len(data)
        off = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, c32, len(comp), usize, len(raw), 0) + raw + comp
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, c32, len(comp), usize,
                               len(raw), 0, 0, 0, 0, 0, off) + raw
    cd_off = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(items), len(items), len(central), cd_off, 0)
    with open(path, "wb") as f:
        f.write(out)
    print(f"{os.path.basename(path)}: {len(out)} bytes, part {part} inflates to {total} bytes")


def big(directory):
    os.makedirs(directory, exist_ok=True)
    bomb(os.path.join(directory, "xlsx_bomb_1g_workbook.xlsx"), "xl/workbook.xml", b"\0")
    head = f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>'.encode()
    bomb(os.path.join(directory, "xlsx_bomb_1g_sheet.xlsx"), "xl/worksheets/sheet1.xml", b" ",
         head=head, tail=b"</sheetData></worksheet>")
    with open(os.path.join(directory, "csv_field_100m.csv"), "wb") as f:
        f.write("一级指标,二级指标,三级指标\n产出,\"".encode())
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            f.write(chunk)
        f.write(b"\",end\n")
    print("csv_field_100m.csv: 100 MB field")


if __name__ == "__main__":
    small()
    if len(sys.argv) == 3 and sys.argv[1] == "--big":
        big(sys.argv[2])
