import Foundation

/// A child process run to its end, as tests run tools (the built binary, git, python3): argv, no
/// shell, standard input from a string or /dev/null, standard output and error captured through
/// files (a large output cannot block it). Blocking: async tests call `running`, which waits off
/// the cooperative pool.
///
/// ```swift
/// let run = try await TestProcess.running("/usr/bin/env", ["git", "rev-parse", "HEAD"])
/// run.status   // 0
/// ```
public enum TestProcess {
    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Standard output, then standard error.
        public var output: String { stdout + stderr }
    }

    /// - Parameter environment: set over the test's own environment, unless `replacing` is true.
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                           environment: [String: String] = [:], replacingEnvironment: Bool = false,
                           directory: URL? = nil) throws -> Run {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-run-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        // A fresh Process per attempt: one whose launch failed cannot be run again.
        func configured() throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            if replacingEnvironment {
                process.environment = environment
            } else if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
            }
            if let directory { process.currentDirectoryURL = directory }
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            if let stdin {
                let input = folder.appendingPathComponent("stdin")
                try Data(stdin.utf8).write(to: input)
                process.standardInput = try FileHandle(forReadingFrom: input)
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            return process
        }
        let process = try launch(configured)
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// `run`, waited for off the cooperative pool.
    public static func running(_ executable: String, _ arguments: [String], stdin: String? = nil,
                               environment: [String: String] = [:], replacingEnvironment: Bool = false,
                               directory: URL? = nil) async throws -> Run {
        try await OffPool.run {
            try run(executable, arguments, stdin: stdin, environment: environment,
                    replacingEnvironment: replacingEnvironment, directory: directory)
        }
    }

    /// Starts a process, retrying while exec answers ETXTBSY: a binary a test has just copied can
    /// still be open for writing in a child another thread forked before the copy was closed
    /// (the fd lives until that child execs), and Linux refuses to execute it until then.
    static func launch(_ configured: () throws -> Process, attempts: Int = 20) throws -> Process {
        for attempt in 1... {
            let process = try configured()
            do {
                try process.run()
                return process
            } catch let error as NSError where attempt < attempts && Self.isTextFileBusy(error) {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        fatalError("unreachable: the last attempt returns or throws")
    }

    static func isTextFileBusy(_ error: NSError) -> Bool {
        if error.domain == NSPOSIXErrorDomain, error.code == Int(ETXTBSY) { return true }
        return (error.userInfo[NSUnderlyingErrorKey] as? NSError).map(isTextFileBusy) ?? false
    }
}
