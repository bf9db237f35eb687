import SheetCore
import XMLStream

/// A small cell style model for writing: font, fill, border, alignment and number format.
/// Styles are registered with ``XLSXWriter/addStyle(_:)``, which deduplicates them into `xl/styles.xml` and
/// returns the index a ``Cell/style`` takes.
public struct CellStyle: Hashable, Sendable {
    public var font: Font
    public var fill: Fill
    public var border: Border
    public var alignment: Alignment
    /// A number format code such as `0.00`, `yyyy\-mm\-dd` or `0%`; nil for General.
    public var numberFormat: String?

    public init(font: Font = Font(), fill: Fill = .none, border: Border = Border(), alignment: Alignment = Alignment(),
                numberFormat: String? = nil) {
        self.font = font
        self.fill = fill
        self.border = border
        self.alignment = alignment
        self.numberFormat = numberFormat
    }

    /// The default style (index 0): 宋体 11, no fill, no border, General.
    public static let `default` = CellStyle()

    public struct Font: Hashable, Sendable {
        public var name: String
        public var size: Double
        public var bold: Bool
        public var italic: Bool
        /// `RRGGBB` or `AARRGGBB`; nil for automatic.
        public var color: String?

        /// 宋体 is what Chinese Excel and WPS default to; LibreOffice substitutes a CJK font when absent.
        public init(name: String = "宋体", size: Double = 11, bold: Bool = false, italic: Bool = false, color: String? = nil) {
            self.name = name
            self.size = size
            self.bold = bold
            self.italic = italic
            self.color = color
        }
    }

    public enum Fill: Hashable, Sendable {
        case none
        /// A solid fill, `RRGGBB` or `AARRGGBB`.
        case solid(String)
    }

    public enum BorderLine: String, Hashable, Sendable {
        case none, thin, medium, thick, dashed, dotted, double, hair
    }

    public struct Border: Hashable, Sendable {
        public var left: BorderLine
        public var right: BorderLine
        public var top: BorderLine
        public var bottom: BorderLine

        public init(left: BorderLine = .none, right: BorderLine = .none, top: BorderLine = .none, bottom: BorderLine = .none) {
            self.left = left
            self.right = right
            self.top = top
            self.bottom = bottom
        }

        /// The same line on all four sides.
        public static func all(_ line: BorderLine) -> Border { Border(left: line, right: line, top: line, bottom: line) }
        public var isNone: Bool { left == .none && right == .none && top == .none && bottom == .none }
    }

    public enum HorizontalAlignment: String, Hashable, Sendable {
        case general, left, center, right, fill, justify, centerContinuous, distributed
    }

    public enum VerticalAlignment: String, Hashable, Sendable {
        case top, center, bottom, justify, distributed
    }

    public struct Alignment: Hashable, Sendable {
        public var horizontal: HorizontalAlignment
        public var vertical: VerticalAlignment
        public var wrap: Bool
        public var indent: Int

        public init(horizontal: HorizontalAlignment = .general, vertical: VerticalAlignment = .bottom, wrap: Bool = false,
                    indent: Int = 0) {
            self.horizontal = horizontal
            self.vertical = vertical
            self.wrap = wrap
            self.indent = indent
        }

        public var isDefault: Bool { horizontal == .general && vertical == .bottom && !wrap && indent == 0 }
    }
}

/// Number formats the writer uses for date values (`CellValue.date`).
public enum DateFormats {
    public static let date = "yyyy\\-mm\\-dd"
    public static let dateTime = "yyyy\\-mm\\-dd\\ hh:mm:ss"
    public static let time = "hh:mm:ss"
    public static let duration = "[h]:mm:ss"

    /// The format that shows an ExcelDate the way its ISO text reads.
    public static func format(for d: ExcelDate) -> String {
        if d.isDuration { return duration }
        if d.serial >= 0 && d.serial < 1 { return time }
        return d.serial == d.serial.rounded(.down) ? date : dateTime
    }
}

/// Deduplicated fonts, fills, borders, number formats and cell formats (`cellXfs`), in first-use order, so the
/// same calls always give the same `styles.xml`.
struct StyleTable {
    private(set) var fonts: [CellStyle.Font] = [CellStyle.Font()]
    private var fontIndex: [CellStyle.Font: Int] = [CellStyle.Font(): 0]
    /// Index 0 and 1 are reserved by SpreadsheetML (`none`, `gray125`).
    private(set) var fills: [CellStyle.Fill] = [.none]
    private var fillIndex: [CellStyle.Fill: Int] = [.none: 0]
    private(set) var borders: [CellStyle.Border] = [CellStyle.Border()]
    private var borderIndex: [CellStyle.Border: Int] = [CellStyle.Border(): 0]
    /// Custom number formats, ids from 164.
    private(set) var numberFormats: [String] = []
    private var numberFormatIndex: [String: Int] = [:]
    private(set) var styles: [CellStyle] = [.default]
    private var styleIndex: [CellStyle: UInt32] = [.default: 0]
    /// style index → the same style with a date format, per format.
    private var dateVariants: [DateVariantKey: UInt32] = [:]

    private struct DateVariantKey: Hashable {
        var style: UInt32
        var format: String
    }

    var count: Int { styles.count }

    mutating func add(_ style: CellStyle) -> UInt32 {
        if let i = styleIndex[style] { return i }
        if fontIndex[style.font] == nil {
            fontIndex[style.font] = fonts.count
            fonts.append(style.font)
        }
        if fillIndex[style.fill] == nil {
            fillIndex[style.fill] = fills.count + 1  // + gray125 at 1
            fills.append(style.fill)
        }
        if borderIndex[style.border] == nil {
            borderIndex[style.border] = borders.count
            borders.append(style.border)
        }
        if let f = style.numberFormat, builtinNumberFormatID(f) == nil, numberFormatIndex[f] == nil {
            numberFormatIndex[f] = 164 + numberFormats.count
            numberFormats.append(f)
        }
        let i = UInt32(styles.count)
        styles.append(style)
        styleIndex[style] = i
        return i
    }

    /// The style to use for a date value in a cell styled `index`: the same style with a date format unless it
    /// already has a number format that is not General.
    mutating func dateStyle(_ index: UInt32, for date: ExcelDate) -> UInt32 {
        let base = Int(index) < styles.count ? index : 0
        if let f = styles[Int(base)].numberFormat, f != "General" { return base }
        let format = DateFormats.format(for: date)
        let key = DateVariantKey(style: base, format: format)
        if let v = dateVariants[key] { return v }
        var s = styles[Int(base)]
        s.numberFormat = format
        let v = add(s)
        dateVariants[key] = v
        return v
    }

    /// Built-in number format ids (ECMA-376 Part 1, 18.8.30) that need no `<numFmt>`.
    func builtinNumberFormatID(_ code: String) -> Int? {
        switch code {
        case "General": return 0
        case "0": return 1
        case "0.00": return 2
        case "#,##0": return 3
        case "#,##0.00": return 4
        case "0%": return 9
        case "0.00%": return 10
        case "0.00E+00": return 11
        case "@": return 49
        default: return nil
        }
    }

    func numberFormatID(_ code: String?) -> Int {
        guard let code else { return 0 }
        return builtinNumberFormatID(code) ?? numberFormatIndex[code] ?? 0
    }

    /// `xl/styles.xml`.
    func write(to w: XMLWriter) {
        w.declaration()
        w.start("styleSheet")
        w.attribute("xmlns", raw: "http://schemas.openxmlformats.org/spreadsheetml/2006/main")
        w.endStart()
        if !numberFormats.isEmpty {
            w.start("numFmts"); w.attribute("count", numberFormats.count); w.endStart()
            for (i, f) in numberFormats.enumerated() {
                w.start("numFmt"); w.attribute("numFmtId", 164 + i); w.attribute("formatCode", f); w.endEmpty()
            }
            w.close("numFmts")
        }
        w.start("fonts"); w.attribute("count", fonts.count); w.endStart()
        for f in fonts {
            w.open("font")
            if f.bold { w.raw("<b/>") }
            if f.italic { w.raw("<i/>") }
            w.start("sz"); w.attribute("val", f.size); w.endEmpty()
            if let c = f.color { w.start("color"); w.attribute("rgb", argb(c)); w.endEmpty() }
            w.start("name"); w.attribute("val", f.name); w.endEmpty()
            // The order Excel writes; CJK fonts are family 3 with the GB2312 charset.
            w.start("family"); w.attribute("val", 3); w.endEmpty()
            w.start("charset"); w.attribute("val", 134); w.endEmpty()
            w.close("font")
        }
        w.close("fonts")
        w.start("fills"); w.attribute("count", fills.count + 1); w.endStart()
        w.raw("<fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>")
        for f in fills.dropFirst() {
            switch f {
            case .none:
                w.raw("<fill><patternFill patternType=\"none\"/></fill>")
            case .solid(let c):
                w.raw("<fill><patternFill patternType=\"solid\"><fgColor")
                w.attribute("rgb", argb(c))
                w.raw("/><bgColor indexed=\"64\"/></patternFill></fill>")
            }
        }
        w.close("fills")
        w.start("borders"); w.attribute("count", borders.count); w.endStart()
        for b in borders {
            w.open("border")
            side(w, "left", b.left)
            side(w, "right", b.right)
            side(w, "top", b.top)
            side(w, "bottom", b.bottom)
            w.raw("<diagonal/>")
            w.close("border")
        }
        w.close("borders")
        w.raw("<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>")
        w.start("cellXfs"); w.attribute("count", styles.count); w.endStart()
        for s in styles {
            let numFmt = numberFormatID(s.numberFormat)
            let font = fontIndex[s.font]!, fill = fillIndex[s.fill]!, border = borderIndex[s.border]!
            w.start("xf")
            w.attribute("numFmtId", numFmt)
            w.attribute("fontId", font)
            w.attribute("fillId", fill)
            w.attribute("borderId", border)
            w.attribute("xfId", 0)
            if numFmt != 0 { w.attribute("applyNumberFormat", raw: "1") }
            if font != 0 { w.attribute("applyFont", raw: "1") }
            if fill != 0 { w.attribute("applyFill", raw: "1") }
            if border != 0 { w.attribute("applyBorder", raw: "1") }
            if s.alignment.isDefault {
                w.endEmpty()
            } else {
                w.attribute("applyAlignment", raw: "1")
                w.endStart()
                w.start("alignment")
                if s.alignment.horizontal != .general { w.attribute("horizontal", s.alignment.horizontal.rawValue) }
                if s.alignment.vertical != .bottom { w.attribute("vertical", s.alignment.vertical.rawValue) }
                if s.alignment.indent > 0 { w.attribute("indent", s.alignment.indent) }
                if s.alignment.wrap { w.attribute("wrapText", raw: "1") }
                w.endEmpty()
                w.close("xf")
            }
        }
        w.close("cellXfs")
        w.raw("<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>")
        w.raw("<dxfs count=\"0\"/><tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium2\" defaultPivotStyle=\"PivotStyleLight16\"/>")
        w.close("styleSheet")
    }

    private func side(_ w: XMLWriter, _ name: StaticString, _ line: CellStyle.BorderLine) {
        if line == .none {
            w.start(name); w.endEmpty()
        } else {
            w.start(name); w.attribute("style", line.rawValue); w.endStart()
            w.raw("<color indexed=\"64\"/>")
            w.close(name)
        }
    }

    /// `RRGGBB` → `FFRRGGBB`.
    private func argb(_ c: String) -> String {
        let u = c.uppercased().filter { $0 != "#" }
        return u.count == 6 ? "FF" + u : u
    }
}
