#!/usr/bin/env python3
"""Writes the small ZIP fixtures of the ZipArchive tests into Fixtures/bad/ and Fixtures/hostile/.

Each file is built byte by byte (or with Python's zipfile / the system `zip` where that is the point), so
the quirk it carries is exact and documented here. Deterministic: re-running gives the same bytes (except
the `zip`-made file, which carries the time of the run). Each file stays under 100 KB.

    scripts/make-hostile-zips.py                 # (re)write the fixtures
    scripts/make-hostile-zips.py --bomb DIR      # also write the 1 GB zip bomb (~1 MB) into DIR
"""
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BAD = os.path.join(ROOT, "Fixtures", "bad")
HOSTILE = os.path.join(ROOT, "Fixtures", "hostile")

DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01


def deflate(data, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def entry(name, data, method=8, **kw):
    e = dict(name=name.encode() if isinstance(name, str) else name, data=data, method=method, flags=0)
    e.update(kw)
    return e


def build(entries, prefix=b"", adjust_offsets=True, zip64=False, descriptor=None, comment=b"",
          cd_entry_count=None, cd_offset_delta=0):
    """A ZIP archive. descriptor: None, 'sig' (PK\\x07\\x08 + crc + sizes) or 'nosig' (crc + sizes).
    zip64: ZIP64 extra fields in local and central headers (sizes and offsets 0xFFFFFFFF) and ZIP64
    end records. adjust_offsets=False leaves offsets relative to the archive start although `prefix` comes
    first (what a self-extractor stub that does not fix offsets gives)."""
    out = bytearray(prefix)
    base = len(prefix) if adjust_offsets else 0
    central = bytearray()
    for e in entries:
        data = e["data"]
        payload = e.get("payload")
        if payload is None:
            payload = deflate(data) if e["method"] == 8 else data
        crc = e.get("crc", zlib.crc32(data))
        usize = e.get("usize", len(data))
        csize = e.get("csize", len(payload))
        flags = e["flags"] | (0x08 if descriptor else 0)
        name = e["name"]
        offset = len(out) - len(prefix) + (len(prefix) if adjust_offsets else 0)
        offset = e.get("offset", offset)
        version = 45 if zip64 else 20
        if zip64:
            lextra = struct.pack("<HHQQ", 1, 16, 0 if descriptor else usize, 0 if descriptor else csize)
            lcs = lus = 0xFFFFFFFF
        else:
            lextra = b""
            lcs, lus = (0, 0) if descriptor else (csize, usize)
        lcrc = 0 if descriptor else crc
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, version, flags, e["method"], 0, DOS_DATE, lcrc, lcs, lus,
                           len(name), len(lextra)) + name + lextra
        out += payload
        if descriptor == "sig":
            out += struct.pack("<I", 0x08074B50)
        if descriptor:
            out += struct.pack("<IQQ" if zip64 else "<III", crc, csize, usize)
        if zip64:
            cextra = struct.pack("<HHQQQ", 1, 24, usize, csize, offset)
            ccs = cus = coff = 0xFFFFFFFF
        else:
            cextra = b""
            ccs, cus, coff = csize, usize, offset
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, version, version, flags, e["method"], 0, DOS_DATE,
                               crc, ccs, cus, len(name), len(cextra), 0, 0, 0, 0, coff) + name + cextra
    cd_offset = len(out) - len(prefix) + base + cd_offset_delta
    out += central
    n = len(entries) if cd_entry_count is None else cd_entry_count
    if zip64:
        z64 = len(out) - len(prefix) + base
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n, n, len(central), cd_offset)
        out += struct.pack("<IIQI", 0x07064B50, 0, z64, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, len(comment))
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), cd_offset, len(comment))
    return bytes(out + comment)


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="xml" ContentType="application/xml"/></Types>')
WORKBOOK = b'<?xml version="1.0"?><workbook><sheets><sheet name="\xe7\xbb\xa9\xe6\x95\x88" sheetId="1"/></sheets></workbook>'
SHEET = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * i) for i in range(1, 400))


def basic(**kw):
    return [entry("[Content_Types].xml", CONTENT_TYPES, **kw), entry("xl/workbook.xml", WORKBOOK, method=0),
            entry("xl/worksheets/sheet1.xml", SHEET)]


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)
    assert len(data) < 100_000, name


def bomb_stream(size, out, chunk=1 << 20):
    """Deflates `size` zero bytes into the file `out` piece by piece (never holds them all)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(chunk)
    crc = 0
    n = 0
    body = bytearray()
    while n < size:
        k = min(chunk, size - n)
        piece = zeros if k == chunk else bytes(k)
        crc = zlib.crc32(piece, crc)
        body += c.compress(piece)
        n += k
    body += c.flush()
    name = b"xl/worksheets/sheet1.xml"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, DOS_DATE, crc, len(body), size, len(name), 0) + name
    cd = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, DOS_DATE, crc, len(body), size, len(name),
                     0, 0, 0, 0, 0, 0) + name
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(cd), len(local) + len(body), 0)
    out.write(local + body + cd + eocd)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--bomb":
        with open(os.path.join(sys.argv[2], "bomb_1g.zip"), "wb") as f:
            bomb_stream(1 << 30, f)
        return

    good = build(basic())

    # --- bad: not workbooks, broken archives -------------------------------------------------------------
    write(BAD, "zip_empty.xlsx", b"")
    write(BAD, "not_a_zip.xlsx", "序号,一级指标,分值\n1,产出指标,50\n".encode("utf-8"))
    write(BAD, "zip_ole_encrypted.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    # An Excel owner/lock file: 1 byte length + user name, padded with spaces, then the name in UTF-16.
    lock = bytes([4]) + b"user" + b" " * 49 + bytes([4, 0]) + "user".encode("utf-16-le") + b"\x20\x00" * 49
    write(BAD, "~$zip_lockfile.xlsx", lock[:165])
    write(BAD, "truncated_zip.xlsx", good[: len(good) * 2 // 3])
    write(BAD, "truncated_in_directory_zip.xlsx", good[:-30])
    bad_crc = basic()
    bad_crc[2]["crc"] = zlib.crc32(SHEET) ^ 0x5A5A5A5A
    write(BAD, "bad_crc_zip.xlsx", build(bad_crc))
    bad_deflate = basic()
    p = bytearray(deflate(SHEET))
    for i in range(10, 40):
        p[i] ^= 0xFF
    bad_deflate[2]["payload"] = bytes(p)
    write(BAD, "bad_deflate_zip.xlsx", build(bad_deflate))
    size_lie = basic()
    size_lie[2]["usize"] = len(SHEET) - 100
    write(BAD, "size_lie_zip.xlsx", build(size_lie))
    enc = basic()
    enc[2]["flags"] = 0x01
    write(BAD, "encrypted_entry_zip.xlsx", build(enc))
    lzma = basic()
    lzma[2]["method"] = 14
    lzma[2]["payload"] = b"\x00" * 50
    write(BAD, "method14_zip.xlsx", build(lzma))
    # Central directory damaged (its first signature overwritten): the local-header scan must recover.
    damaged = bytearray(good)
    cd = damaged.rfind(b"PK\x01\x02", 0, len(damaged))
    first = damaged.find(b"PK\x01\x02")
    damaged[first:first + 4] = b"XXXX"
    write(BAD, "damaged_directory_zip.xlsx", bytes(damaged))
    # End record points to nonsense offsets and claims more entries than there are.
    write(BAD, "bad_eocd_zip.xlsx", build(basic(), cd_entry_count=60000, cd_offset_delta=1_000_000))
    # Garbage with an end record only.
    write(BAD, "eocd_only_zip.xlsx", b"garbage" * 10 + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 3, 3, 500, 9000, 0))

    # --- hostile ---------------------------------------------------------------------------------------------
    with open(os.path.join(HOSTILE, "bomb_64m.zip"), "wb") as f:
        bomb_stream(64 << 20, f)
    assert os.path.getsize(os.path.join(HOSTILE, "bomb_64m.zip")) < 100_000
    # The same bomb with a lying header: declares 1000 bytes.
    buf = io.BytesIO()
    bomb_stream(64 << 20, buf)
    b = bytearray(buf.getvalue())
    b[22:26] = struct.pack("<I", 1000)
    cdpos = b.rfind(b"PK\x01\x02")
    b[cdpos + 24:cdpos + 28] = struct.pack("<I", 1000)
    write(HOSTILE, "bomb_64m_lying.zip", bytes(b))
    # Two central entries for the same local header.
    e = basic()
    raw = bytearray(build(e))
    cd = raw.find(b"PK\x01\x02")
    eocd = raw.rfind(b"PK\x05\x06")
    first_record_len = 46 + len(e[0]["name"])
    dup = bytearray(raw[cd:cd + first_record_len])
    dup[46:46 + len(e[0]["name"])] = b"[Content_Types].xmk"
    raw[eocd:eocd] = dup
    eocd += len(dup)
    n = struct.unpack_from("<H", raw, eocd + 8)[0] + 1
    cdsize = struct.unpack_from("<I", raw, eocd + 12)[0] + len(dup)
    struct.pack_into("<HHI", raw, eocd + 8, n, n, cdsize)
    write(HOSTILE, "overlap_same_offset.zip", bytes(raw))
    # Classic overlapping bomb kernel: a stored entry whose data holds another entry's local header + data.
    inner_name = b"xl/sharedStrings.xml"
    inner_data = deflate(b"A" * 5000)
    inner = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, DOS_DATE, zlib.crc32(b"A" * 5000), len(inner_data),
                        5000, len(inner_name), 0) + inner_name + inner_data
    outer_name = b"xl/worksheets/sheet1.xml"
    outer = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, DOS_DATE, zlib.crc32(inner), len(inner), len(inner),
                        len(outer_name), 0) + outer_name
    body = outer + inner
    inner_offset = len(outer)
    cdr = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, DOS_DATE, zlib.crc32(inner), len(inner),
                      len(inner), len(outer_name), 0, 0, 0, 0, 0, 0) + outer_name
    cdr += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, DOS_DATE, zlib.crc32(b"A" * 5000),
                       len(inner_data), 5000, len(inner_name), 0, 0, 0, 0, 0, inner_offset) + inner_name
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(cdr), len(body), 0)
    write(HOSTILE, "overlap_nested.zip", body + cdr + eocd)

    # --- quirks that must read fine -------------------------------------------------------------------------
    write(HOSTILE, "data_descriptor_sig.zip", build(basic(), descriptor="sig"))
    write(HOSTILE, "data_descriptor_nosig.zip", build(basic(), descriptor="nosig"))
    write(HOSTILE, "zip64_everywhere.zip", build(basic(), zip64=True))
    write(HOSTILE, "zip64_descriptor.zip", build(basic(), zip64=True, descriptor="sig"))
    write(HOSTILE, "prefix_adjusted.zip", build(basic(), prefix=b"MZ" + b"\x90" * 3000))
    write(HOSTILE, "prefix_unadjusted.zip", build(basic(), prefix=b"#!/bin/sh\nexit 0\n" * 100, adjust_offsets=False))
    write(HOSTILE, "comment_64k.zip", build(basic(), comment=b"C" * 65535))
    write(HOSTILE, "backslash_names.zip", build([entry(b"[Content_Types].xml", CONTENT_TYPES),
                                                 entry(b"xl\\workbook.xml", WORKBOOK),
                                                 entry(b"xl\\worksheets\\sheet1.xml", SHEET)]))
    write(HOSTILE, "case_duplicates.zip", build([entry("xl/workbook.xml", WORKBOOK),
                                                 entry("XL/Workbook.xml", b"<second/>"),
                                                 entry("/xl/styles.xml", b"<styleSheet/>")]))
    write(HOSTILE, "cp437_and_utf8_names.zip", build([entry(b"caf\x82.xml", b"cp437"),
                                                      entry("绩效/指标.xml".encode(), b"utf8 no flag"),
                                                      entry("绩效/得分.xml".encode(), b"utf8 flag", flags=0x800)]))
    # No central directory at all: written by a streamer that died before the end.
    nocd = build(basic(), descriptor="sig")
    write(HOSTILE, "no_directory_descriptor.zip", nocd[:nocd.find(b"PK\x01\x02")])
    write(HOSTILE, "no_directory_stored.zip", build([entry("a.xml", b"<a/>" * 30, method=0),
                                                     entry("b.xml", b"<b/>" * 30, method=0)],
                                                    descriptor="sig")[:-(46 * 2 + 10 + 22)])

    # Made by Python's zipfile (deflate, stored, a directory, non-seekable stream = data descriptors).
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data, method in [("[Content_Types].xml", CONTENT_TYPES, zipfile.ZIP_DEFLATED),
                                   ("xl/", b"", zipfile.ZIP_STORED),
                                   ("xl/workbook.xml", WORKBOOK, zipfile.ZIP_STORED),
                                   ("xl/worksheets/sheet1.xml", SHEET, zipfile.ZIP_DEFLATED),
                                   ("docProps/说明.txt", "绩效评价".encode(), zipfile.ZIP_DEFLATED)]:
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=method)
    write(HOSTILE, "python_zipfile.zip", buf.getvalue())

    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.data = bytearray()
        def writable(self):
            return True
        def write(self, b):
            self.data += b
            return len(b)
    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("[Content_Types].xml", (1980, 1, 1, 0, 0, 0)), CONTENT_TYPES)
        with z.open(zipfile.ZipInfo("xl/worksheets/sheet1.xml", (1980, 1, 1, 0, 0, 0)), "w", force_zip64=True) as f:
            f.write(SHEET)
    write(HOSTILE, "python_streamed_zip64.zip", bytes(sink.data))

    # Made by the system `zip` (Info-ZIP: extra fields UT/ux), when present.
    if shutil.which("zip"):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "xl", "worksheets"))
            for rel, data in [("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", WORKBOOK),
                              ("xl/worksheets/sheet1.xml", SHEET)]:
                with open(os.path.join(d, rel), "wb") as f:
                    f.write(data)
            target = os.path.join(HOSTILE, "infozip.zip")
            if os.path.exists(target):
                os.remove(target)
            subprocess.run(["zip", "-q", "-X", "-r", target, "[Content_Types].xml", "xl"], cwd=d, check=True)
            # A streamed one (-fd: data descriptors) from stdin input
            target2 = os.path.join(HOSTILE, "infozip_stream.zip")
            with open(os.path.join(d, "xl", "worksheets", "sheet1.xml"), "rb") as f:
                r = subprocess.run(["zip", "-q", "-", "-"], input=f.read(), capture_output=True, check=True)
            with open(target2, "wb") as f:
                f.write(r.stdout)


if __name__ == "__main__":
    main()
