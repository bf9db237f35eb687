import SheetCore
import XMLStream

/// The shared string table (`xl/sharedStrings.xml`), read once per workbook, streamed.
enum SharedStrings {
    /// Reads every `<si>` in order. - Throws: `.corrupt` for bad XML, `.limitExceeded` past the limits.
    static func read(part: String, from source: PartSource, limits: ReadLimits) throws -> [String] {
        let location = Location(file: source.fileName, part: part)
        let d = Delegate(limits: limits, location: location)
        if let z = source as? ZipPartSource, let e = z.zip.entry(named: part),
           e.uncompressedSize <= UInt64(XMLFastScan.maxBytes),
           e.uncompressedSize / max(e.compressedSize, 1) < limits.maxCompressionRatio {
            // Up to a few MB: inflated whole, then scanned (`XMLFastScan`) or pushed to libxml2 at once. A part
            // that inflates suspiciously far is streamed, so that the first limit it meets is reported.
            try XMLPushParser.parse(z.zip.read(e), delegate: d, location: location, limits: limits)
            return d.strings
        }
        let parser = XMLPushParser(delegate: d, location: location, limits: limits)
        guard try source.stream(part, { try parser.feed($0) }) else { return [] }
        try parser.finish()
        return d.strings
    }

    /// Parses shared strings from bytes (tests).
    static func parse(_ bytes: [UInt8], location: Location, limits: ReadLimits = .default) throws -> [String] {
        let d = Delegate(limits: limits, location: location)
        try XMLPushParser.parse(bytes, delegate: d, location: location, limits: limits)
        return d.strings
    }

    private final class Delegate: XMLStreamDelegate {
        var strings: [String] = []
        var text: RichTextCollector
        var inItem = false
        let limits: ReadLimits
        let location: Location

        init(limits: ReadLimits, location: Location) {
            self.limits = limits
            self.location = location
            text = RichTextCollector(maxLength: limits.maxStringLength)
        }

        func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
            if name.is("si") {
                inItem = true
                text.reset()
            } else if name.is("sst") {
                if let c = attributes.raw("uniqueCount").flatMap({ Int(XMLBytes.string($0)) }), c > 0 {
                    strings.reserveCapacity(min(c, limits.maxSharedStrings, 1 << 20))
                }
            } else if inItem {
                text.start(name, attributes)
            }
        }

        func endElement(_ name: XMLName) throws {
            if name.is("si") {
                inItem = false
                if strings.count >= limits.maxSharedStrings {
                    throw JixiaoError(.limitExceeded, "more than \(limits.maxSharedStrings) shared strings (limit maxSharedStrings)", at: location)
                }
                strings.append(text.string)
            } else if inItem {
                text.end(name)
            }
        }

        func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            guard inItem else { return }
            if !text.characters(bytes) {
                throw JixiaoError(.limitExceeded, "a shared string is longer than \(limits.maxStringLength) bytes (limit maxStringLength)", at: location)
            }
        }
    }
}
