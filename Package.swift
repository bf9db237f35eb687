// swift-tools-version:6.0
// jixiao (绩效): import, normalise, score and write Chinese budget performance-evaluation indicator tables.
import PackageDescription

let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "jixiao",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "jixiao", targets: ["jixiao"]),
        .library(name: "JixiaoKit", targets: ["Pipeline", "Scoring", "IndicatorModel", "XLSXFormat", "CSVFormat", "SheetCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries, found with pkg-config; apt names for a fresh Debian/Ubuntu machine.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),

        // SHA-256 blocks with the x86-64 SHA extensions, header-only (Pipeline's SHA256 falls back to Swift).
        .systemLibrary(name: "CSHA256", path: "Sources/CSHA256"),

        // Shared cell/grid model, errors, locations, limits. No C, no formats.
        .target(name: "SheetCore", swiftSettings: v5),
        // ZIP container (read + write) over zlib.
        .target(name: "ZipArchive", dependencies: ["CZlib", "SheetCore"], swiftSettings: v5),
        // SAX2 push parser over libxml2 and a byte-level XML writer.
        .target(name: "XMLStream", dependencies: ["CLibXML2", "SheetCore"], swiftSettings: v5),
        // CSV bytes <-> grid, encodings (UTF-8/16, GB18030 via iconv), delimiter detection.
        .target(name: "CSVFormat", dependencies: ["SheetCore"], swiftSettings: v5),
        // XLSX (OPC package) <-> grid: streaming reader, writer, template fill.
        .target(name: "XLSXFormat", dependencies: ["ZipArchive", "XMLStream", "SheetCore"], swiftSettings: v5),
        // Indicator tree, normaliser from a grid, validation, roll-up and grade.
        .target(name: "IndicatorModel", dependencies: ["SheetCore"], swiftSettings: v5),
        // Criteria text -> rules, measured values, scoring with explanations.
        .target(name: "Scoring", dependencies: ["IndicatorModel"], swiftSettings: v5),
        // Detect, read, normalise, score, write; batch.
        .target(name: "Pipeline", dependencies: ["SheetCore", "ZipArchive", "CSVFormat", "XLSXFormat", "IndicatorModel", "Scoring", "CSHA256"],
                swiftSettings: v5),
        .executableTarget(name: "jixiao", dependencies: [
            "Pipeline", "Scoring", "IndicatorModel", "XLSXFormat", "CSVFormat", "SheetCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: v5),

        .target(name: "TestSupport", dependencies: ["SheetCore"], path: "Tests/TestSupport", swiftSettings: v5),
        .testTarget(name: "SheetCoreTests", dependencies: ["SheetCore", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "ZipArchiveTests", dependencies: ["ZipArchive", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "XMLStreamTests", dependencies: ["XMLStream", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "CSVFormatTests", dependencies: ["CSVFormat", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "XLSXFormatTests", dependencies: ["XLSXFormat", "CSVFormat", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "IndicatorModelTests", dependencies: ["IndicatorModel", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "TestSupport"], swiftSettings: v5),
        .testTarget(name: "JixiaoCLITests", dependencies: ["TestSupport"], swiftSettings: v5),
    ]
)
