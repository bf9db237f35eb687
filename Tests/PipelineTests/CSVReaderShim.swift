import CSVFormat
import SheetCore

/// Reads a CSV for assertions.
enum CSVReaderShim {
    static func read(_ path: String) throws -> Grid { try CSVReader.read(path: path) }
}
