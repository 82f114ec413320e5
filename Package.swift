// swift-tools-version:6.0
import PackageDescription

// Layering (see README "Architecture"):
//   domain (pure):  WhyDeniedJSON, WhyDeniedRedaction, WhyDeniedRunbook, WhyDeniedEvidence, WhyDeniedAnalysis, WhyDeniedSession,
//                   WhyDeniedReport, WhyDeniedTUI, WhyDeniedScan
//   edge:           WhyDeniedRunner (processes, with the C shim CProcessSpawn), WhyDeniedSandbox (moto), WhyDeniedTerminal (ncurses)
//   session driver: WhyDeniedGuided (the guided session for the TUI; its executor injected, so tested without a terminal)
//   app:            whydenied (swift-argument-parser)
let strictness: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "whydenied",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "whydenied", targets: ["whydenied"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C shims
        .systemLibrary(
            name: "CNCursesW",
            path: "Sources/CNCursesW",
            providers: [.apt(["libncursesw5-dev"]), .brew(["ncurses"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Whole-buffer gzip inflate for the scanner (trail files are small; libdeflate beats zlib's streaming).
        .systemLibrary(
            name: "CLibDeflate",
            path: "Sources/CLibDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // posix_spawn's close-from action and pipe2, which Glibc's Swift module does not export.
        .target(name: "CProcessSpawn", path: "Sources/CProcessSpawn"),

        // Pure domain
        .target(name: "WhyDeniedJSON", swiftSettings: strictness),
        // The one redactor: every way out of the process (output, journal, files, TUI) calls it.
        .target(name: "WhyDeniedRedaction", dependencies: ["WhyDeniedJSON"], swiftSettings: strictness),
        .target(name: "WhyDeniedRunbook",
                dependencies: ["WhyDeniedJSON", .product(name: "Yams", package: "Yams")],
                swiftSettings: strictness),
        .target(name: "WhyDeniedEvidence", dependencies: ["WhyDeniedJSON", "WhyDeniedRedaction", "CZlib"], swiftSettings: strictness),
        .target(name: "WhyDeniedAnalysis", dependencies: ["WhyDeniedEvidence", "WhyDeniedRunbook"],
                resources: [.copy("Catalog")], swiftSettings: strictness),
        .target(name: "WhyDeniedScan", dependencies: ["WhyDeniedEvidence", "CLibDeflate"],
                swiftSettings: strictness),
        .target(name: "WhyDeniedSession",
                dependencies: ["WhyDeniedRunbook", "WhyDeniedEvidence", "WhyDeniedAnalysis", "WhyDeniedScan", "WhyDeniedRedaction"],
                swiftSettings: strictness),
        .target(name: "WhyDeniedReport", dependencies: ["WhyDeniedSession", "WhyDeniedRunbook", "WhyDeniedRedaction"], swiftSettings: strictness),
        .target(name: "WhyDeniedTUI", dependencies: ["WhyDeniedSession", "WhyDeniedRunbook", "WhyDeniedEvidence", "WhyDeniedJSON",
                                                 "WhyDeniedRedaction"], swiftSettings: strictness),

        // Edges
        .target(name: "WhyDeniedRunner", dependencies: ["WhyDeniedSession", "WhyDeniedJSON", "WhyDeniedRedaction", "CProcessSpawn"], swiftSettings: strictness),
        .target(name: "WhyDeniedSandbox", dependencies: ["WhyDeniedRunner", "WhyDeniedJSON"], swiftSettings: strictness),
        .target(name: "WhyDeniedTerminal", dependencies: ["CNCursesW", "WhyDeniedTUI"],
                swiftSettings: strictness),

        // The guided session's driver: the TUI's messages in, the session stepped by `advance`, messages out.
        .target(name: "WhyDeniedGuided",
                dependencies: ["WhyDeniedSession", "WhyDeniedTUI", "WhyDeniedRunner", "WhyDeniedReport", "WhyDeniedSandbox",
                               "WhyDeniedRunbook", "WhyDeniedRedaction", "WhyDeniedAnalysis", "WhyDeniedEvidence", "WhyDeniedJSON"],
                swiftSettings: strictness),

        // App
        .executableTarget(
            name: "whydenied",
            dependencies: [
                "WhyDeniedRunbook", "WhyDeniedEvidence", "WhyDeniedAnalysis", "WhyDeniedScan",
                "WhyDeniedSession", "WhyDeniedReport", "WhyDeniedTUI", "WhyDeniedRunner",
                "WhyDeniedSandbox", "WhyDeniedTerminal", "WhyDeniedRedaction", "WhyDeniedGuided",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictness
        ),

        // Test support: the moto sandbox starter, the tmux driver, fixture paths.
        .target(name: "WhyDeniedTestSupport", dependencies: ["WhyDeniedRunner", "WhyDeniedSandbox", "WhyDeniedSession", "CProcessSpawn"],
                path: "Tests/WhyDeniedTestSupport", swiftSettings: strictness),

        .testTarget(name: "WhyDeniedJSONTests", dependencies: ["WhyDeniedJSON"], swiftSettings: strictness),
        .testTarget(name: "WhyDeniedRunbookTests", dependencies: ["WhyDeniedRunbook", "WhyDeniedTestSupport"],
                    swiftSettings: strictness),
        .testTarget(name: "WhyDeniedEvidenceTests", dependencies: ["WhyDeniedEvidence", "WhyDeniedTestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: strictness),
        .testTarget(name: "WhyDeniedAnalysisTests", dependencies: ["WhyDeniedAnalysis", "WhyDeniedRunbook", "WhyDeniedTestSupport"],
                    resources: [.copy("Fixtures")],
                    swiftSettings: strictness),
        .testTarget(name: "WhyDeniedScanTests",
                    dependencies: ["WhyDeniedScan", "WhyDeniedRunner", "WhyDeniedSandbox", "WhyDeniedSession", "WhyDeniedTestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: strictness),
        .testTarget(name: "WhyDeniedRunnerTests",
                    dependencies: ["WhyDeniedRunner", "WhyDeniedSandbox", "WhyDeniedSession", "WhyDeniedTestSupport"],
                    swiftSettings: strictness),
        .testTarget(name: "WhyDeniedSessionTests",
                    dependencies: ["WhyDeniedSession", "WhyDeniedReport", "WhyDeniedRunner", "WhyDeniedSandbox",
                                   "WhyDeniedRedaction", "WhyDeniedTestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: strictness),
        .testTarget(name: "WhyDeniedTUITests",
                    dependencies: ["WhyDeniedTUI", "WhyDeniedTerminal", "WhyDeniedRunbook", "WhyDeniedEvidence", "WhyDeniedSession", "WhyDeniedTestSupport"],
                    swiftSettings: strictness),
        .testTarget(name: "WhyDeniedGuidedTests",
                    dependencies: ["WhyDeniedGuided", "WhyDeniedSession", "WhyDeniedTUI", "WhyDeniedRunner", "WhyDeniedRunbook",
                                   "WhyDeniedTestSupport"],
                    swiftSettings: strictness),
        .testTarget(name: "WhyDeniedEndToEndTests", dependencies: ["WhyDeniedTestSupport", "WhyDeniedSandbox", "WhyDeniedSession"],
                    swiftSettings: strictness),
    ],
    swiftLanguageModes: [.v6]
)
