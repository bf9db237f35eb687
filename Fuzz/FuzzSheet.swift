// libFuzzer target: the worksheet reader. The input is a worksheet part (`xl/worksheets/sheet1.xml`);
// bytes after a first NUL, if any, are the shared-strings part. It is packed with a fixed workbook,
// relationships and styles (one date format) into a stored ZIP and read with XLSXReader, then normalised.
// Built and run by `scripts/fuzz sheet SECONDS`.
import IndicatorModel
import SheetCore
import XLSXFormat
import ZipArchive

let contentTypes = #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#
let rootRels = #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
let workbook = #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="附表" sheetId="1" r:id="rId1"/></sheets></workbook>"#
let workbookRels = #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
let styles = #"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="46" applyNumberFormat="1"/></cellXfs></styleSheet>"#

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeBufferPointer(start: data, count: size)
    let nul = input.firstIndex(of: 0)
    let sheet = Array(input[..<(nul ?? size)])
    let strings = nul.map { Array(input[($0 + 1)...]) }
    var zip = ZipWriter()
    do {
        try zip.add("[Content_Types].xml", Array(contentTypes.utf8), compress: false)
        try zip.add("_rels/.rels", Array(rootRels.utf8), compress: false)
        try zip.add("xl/workbook.xml", Array(workbook.utf8), compress: false)
        try zip.add("xl/_rels/workbook.xml.rels", Array(workbookRels.utf8), compress: false)
        try zip.add("xl/styles.xml", Array(styles.utf8), compress: false)
        try zip.add("xl/worksheets/sheet1.xml", sheet, compress: false)
        if let strings { try zip.add("xl/sharedStrings.xml", strings, compress: false) }
    } catch {
        fatalError("cannot build the package: \(error)")
    }
    guard let bytes = try? zip.finish() else { fatalError("cannot finish the package") }
    do {
        let reader = try XLSXReader(bytes: bytes, name: "fuzz.xlsx")
        var rows = 0
        try reader.forEachRow(sheet: 0) { row in
            rows += 1
            // Rows come sorted by column without repeats.
            for i in row.cells.indices.dropFirst() where row.cells[i - 1].col >= row.cells[i].col {
                fatalError("row \(row.index): cells out of order")
            }
        }
        let grid = try reader.readGrid(sheet: 0)
        for i in grid.rows.indices.dropFirst() where grid.rows[i - 1].index >= grid.rows[i].index {
            fatalError("grid rows out of order")
        }
        if let f = try? Normaliser.normalise(grid, file: "fuzz.xlsx") {
            _ = CheckReport(validating: f).jsonText()
        }
    } catch is JixiaoError {
    } catch {
        fatalError("not a JixiaoError: \(error)")
    }
    return 0
}
