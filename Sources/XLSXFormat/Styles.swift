import SheetCore
import XMLStream

/// The part of `styles.xml` the reader needs: for each cell format (`<cellXfs><xf>`), whether its number
/// format is a date, a duration or a number.
struct CellFormats {
    var kinds: [NumberFormatKind] = []

    @inline(__always)
    func kind(ofStyle s: UInt32) -> NumberFormatKind {
        Int(s) < kinds.count ? kinds[Int(s)] : .number
    }

    var hasDates: Bool { kinds.contains { $0 != .number } }

    static func read(part: String, from source: PartSource, limits: ReadLimits) throws -> CellFormats {
        try source.parsedPart(part, purpose: .styles, context: "", limits: limits) { bytes in
            try parse(bytes, location: Location(file: source.fileName, part: part), limits: limits)
        } ?? CellFormats()
    }

    static func parse(_ bytes: [UInt8], location: Location, limits: ReadLimits = .default) throws -> CellFormats {
        let d = Delegate()
        try XMLPushParser.parse(bytes, delegate: d, location: location, limits: limits)
        var out = CellFormats()
        out.kinds = d.xfFormatIds.map { id in
            guard let id else { return .number }
            if let code = d.custom[id] { return NumberFormats.kind(ofFormatCode: code) }
            return NumberFormats.builtinKind(id)
        }
        return out
    }

    private final class Delegate: XMLStreamDelegate {
        var custom: [Int: String] = [:]
        var xfFormatIds: [Int?] = []
        var inNumFmts = false
        var inCellXfs = false
        var sawNumFmts = false
        var xfDepth = 0

        func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
            if name.is("numFmts") {
                inNumFmts = true
            } else if name.is("numFmt"), inNumFmts {
                if let id = attributes.value("numFmtId").flatMap({ Int($0.trimmingSpaces) }), let code = attributes.value("formatCode"),
                   !code.isEmpty {
                    custom[id] = code
                }
            } else if name.is("cellXfs") {
                inCellXfs = true
            } else if name.is("xf"), inCellXfs {
                xfFormatIds.append(attributes.value("numFmtId").flatMap { Int($0.trimmingSpaces) })
            }
        }

        func endElement(_ name: XMLName) throws {
            if name.is("numFmts") {
                inNumFmts = false
                sawNumFmts = true
            } else if name.is("cellXfs") {
                inCellXfs = false
                // Nothing after the cell formats matters once the number formats (which come before them in
                // the schema's order) were read: the rest of the part (cell styles, colours, ...) is skipped.
                if sawNumFmts { throw XMLStop() }
            }
        }

        func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
    }
}

/// The cell formats of a workbook, read from `styles.xml` on first use: a sheet without numbers never needs
/// them. An error reading them is thrown as `Failure` (so that the sheet does not claim it), once for each use.
final class LazyCellFormats {
    /// Wraps the error of reading `styles.xml`.
    struct Failure: Error {
        var error: Error
    }

    private var loaded: CellFormats?
    private var failure: Error?
    private let load: () throws -> CellFormats

    init(_ load: @escaping () throws -> CellFormats) { self.load = load }

    init(_ formats: CellFormats) {
        loaded = formats
        load = { formats }
    }

    /// The formats, reading them on the first call.
    func formats() throws -> CellFormats {
        if let loaded { return loaded }
        if let failure { throw Failure(error: failure) }
        do {
            let f = try load()
            loaded = f
            return f
        } catch {
            failure = error
            throw Failure(error: error)
        }
    }

    @inline(__always)
    func kind(ofStyle s: UInt32) throws -> NumberFormatKind {
        if let loaded { return loaded.kind(ofStyle: s) }
        return try formats().kind(ofStyle: s)
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
