import Foundation

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
        try "#!/bin/sh\n\(script)\n".write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        path = url.path
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
