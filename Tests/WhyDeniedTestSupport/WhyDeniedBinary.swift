import Foundation

/// The built `whydenied` binary (`.build/debug/whydenied`), run as an operator runs it: argv,
/// through `TestProcess`.
///
/// ```swift
/// let run = try WhyDeniedBinary.run(["parse", "trail.json.gz"])
/// run.status   // 1
/// run.stderr   // "Error: trail.json.gz: gzip data ends early …"
/// ```
public enum WhyDeniedBinary {
    public typealias Run = TestProcess.Run

    public static var path: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/whydenied").path
    }

    public static var exists: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// - Parameter environment: set over the test's own environment (e.g. a moto sandbox's
    ///   dummy credentials and config files).
    /// `run`, waited for off the cooperative pool: for async tests, so a long run (live reads
    /// against moto) does not hold one of a 2-core machine's two pool threads.
    public static func running(_ arguments: [String], stdin: String? = nil,
                               environment: [String: String] = [:]) async throws -> Run {
        try await OffPool.run { try run(arguments, stdin: stdin, environment: environment) }
    }

    public static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Run {
        try TestProcess.run(path, arguments, stdin: stdin, environment: environment)
    }
}
