/// The value of one cell, as every reader hands it up and every writer takes it.
public enum CellValue: Hashable, Sendable {
    case empty
    case string(String)
    case number(Double)
    case bool(Bool)
    /// A number whose number format is a date, time or duration format.
    case date(ExcelDate)
    /// An error value such as `#DIV/0!` or `#N/A`.
    case error(String)

    public var isEmpty: Bool {
        switch self {
        case .empty: return true
        case .string(let s): return s.isEmpty
        default: return false
        }
    }

    /// The text a person sees for strings, a plain rendering otherwise (numbers without a trailing `.0`).
    public var text: String {
        switch self {
        case .empty: return ""
        case .string(let s): return s
        case .number(let d): return CellValue.format(d)
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .date(let d): return d.isoString
        case .error(let e): return e
        }
    }

    /// Shortest decimal text that round-trips, integers without `.0` (Python `repr` style otherwise).
    public static func format(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e16 { return String(Int64(d)) }
        return d.description  // the text "\(d)" gives, without the interpolation machinery
    }
}

/// A spreadsheet serial date: days since the workbook's epoch, fraction = time of day.
/// Kept as the raw serial plus the epoch so that a writer can put back exactly what was read.
public struct ExcelDate: Hashable, Sendable {
    public var serial: Double
    /// true when the workbook uses the 1904 date system (`<workbookPr date1904="1"/>`).
    public var epoch1904: Bool
    /// true for elapsed-time formats such as `[h]:mm:ss`.
    public var isDuration: Bool

    public init(serial: Double, epoch1904: Bool = false, isDuration: Bool = false) {
        self.serial = serial
        self.epoch1904 = epoch1904
        self.isDuration = isDuration
    }

    /// The largest serial that still is a date (9999-12-31); larger values stay numbers.
    public static let maxSerial: Double = 2_958_465.999_999_99

    /// Civil date and time, rounded to the millisecond, as calamine does. Serial 60 in the 1900 system
    /// (the fictitious 1900-02-29) maps to 1900-02-28.
    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        var ms = (serial * 86_400_000).rounded()
        var days = Int((ms / 86_400_000).rounded(.down))
        ms -= Double(days) * 86_400_000
        var msInt = Int(ms)
        if msInt >= 86_400_000 { days += 1; msInt -= 86_400_000 }
        // Convert to days since 1970-01-01.
        var unixDays: Int
        if epoch1904 {
            unixDays = days - 24_107  // 1904-01-01 is -24107 days from 1970-01-01
        } else {
            var d = days
            if d < 61 { d += 1 }      // serials 1..60 are one off because of the fake 1900-02-29
            if days == 60 { d = 60 }  // 1900-02-29 → 1900-02-28 (calamine)
            unixDays = d - 25_569     // serial 25569 = 1970-01-01
        }
        let (y, m, dd) = ExcelDate.civil(fromDays: unixDays)
        let h = msInt / 3_600_000
        let mi = (msInt / 60_000) % 60
        let s = (msInt / 1000) % 60
        return (y, m, dd, h, mi, s, msInt % 1000)
    }

    /// Howard Hinnant's days-to-civil algorithm.
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Days since the Unix epoch for a civil date (inverse of `civil`).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The 1900-system serial for a civil date-time (what writers store).
    public static func serial(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Double = 0) -> Double {
        var d = Double(days(year: year, month: month, day: day) + 25_569)
        if d < 61 { d -= 1 }
        return d + (Double(hour) * 3600 + Double(minute) * 60 + second) / 86_400
    }

    /// ISO text the way the corpus' reference (calamine) writes it:
    /// serial in [0, 1) → `HH:MM:SS[.ffffff]`; other whole serials → `YYYY-MM-DD`; negative serials with a
    /// fraction → the time of day of the fraction; otherwise `YYYY-MM-DDTHH:MM:SS[.ffffff]`;
    /// durations → `PT<seconds>S` (`-PT<seconds>S` when negative).
    public var isoString: String {
        if isDuration {
            let secs = (abs(serial) * 86_400 * 1000).rounded() / 1000
            return (serial < 0 ? "-PT" : "PT") + "\(CellValue.format(secs))S"
        }
        let c = components
        func p2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        func p4(_ v: Int) -> String { String(repeating: "0", count: max(0, 4 - String(v).count)) + String(v) }
        let frac = c.millisecond == 0 ? "" : "." + String(format6(c.millisecond * 1000))
        let time = "\(p2(c.hour)):\(p2(c.minute)):\(p2(c.second))\(frac)"
        if serial >= 0 && serial < 1 { return time }
        let date = "\(p4(c.year))-\(p2(c.month))-\(p2(c.day))"
        if serial == serial.rounded(.down) { return date }
        if serial < 0 { return time }
        return "\(date)T\(time)"
    }

    private func format6(_ micros: Int) -> String {
        let s = String(micros)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}
