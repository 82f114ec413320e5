import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fake `aws` executable for fault tests: a shell script in a fresh temp folder (the script is
/// the program under test's child, never a shell the app runs). Use it as `AWSConnection.executable`.
///
/// ```swift
/// let slow = try ScenarioFakeCLI(script: "sleep 60")
/// defer { slow.remove() }
/// ```
public struct ScenarioFakeCLI: Sendable {
    public let directory: URL
    public let path: String

    public init(script: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-fake-aws-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("aws")
        try Self.writeExecutable("#!/bin/sh\n\(script)\n", to: url)
        path = url.path
    }

    public struct WriteError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes an executable through a close-on-exec descriptor: Foundation's writers leave theirs
    /// inheritable, so a child another test spawns meanwhile keeps the file open for writing and
    /// running the script fails with ETXTBSY for as long as that child lives.
    public static func writeExecutable(_ text: String, to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw WriteError(description: "cannot create \(url.path): errno \(errno)") }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw WriteError(description: "cannot write \(url.path): errno \(errno)") }
            written += count
        }
        guard fchmod(descriptor, 0o755) == 0 else { throw WriteError(description: "cannot chmod \(url.path): errno \(errno)") }
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Reads the process table with `ps` (fault tests assert no child or zombie is left behind).
public enum ProcessTable {
    /// Lines of `ps -eo pid,ppid,stat,args` whose command line contains `marker`.
    public static func processes(matching marker: String) -> [String] {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/ps")
        process.arguments = ["-eo", "pid,ppid,stat,args"]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return ["ps could not be started"] }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { $0.contains(marker) && !$0.contains(" ps -eo") }
    }

    /// Zombie children of this test process.
    public static func zombieChildren() -> [String] {
        let me = String(ProcessInfo.processInfo.processIdentifier)
        return processes(matching: "").filter { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count >= 3 && fields[1] == me && fields[2].hasPrefix("Z")
        }
    }
}
