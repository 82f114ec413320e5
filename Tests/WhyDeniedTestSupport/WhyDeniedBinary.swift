import Foundation

/// The built `whydenied` binary (`.build/debug/whydenied`), run as an operator runs it: argv,
/// no shell, standard input from a string or /dev/null, and its exit status, standard output
/// and standard error captured (through files, so a large output cannot block it).
///
/// ```swift
/// let run = try WhyDeniedBinary.run(["parse", "trail.json.gz"])
/// run.status   // 1
/// run.stderr   // "Error: trail.json.gz: gzip data ends early …"
/// ```
public enum WhyDeniedBinary {
    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-run-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let input = folder.appendingPathComponent("stdin")
            try Data(stdin.utf8).write(to: input)
            process.standardInput = try FileHandle(forReadingFrom: input)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}
