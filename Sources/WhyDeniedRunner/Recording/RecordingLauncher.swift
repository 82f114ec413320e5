import Foundation
import WhyDeniedRedaction

/// Wraps a launcher and appends every process start to a recording file (JSON Lines), redacted
/// like everything else whydenied writes, in a file only the owner can read (0600).
///
/// ```swift
/// let launcher = try RecordingLauncher(wrapping: ChildProcess(), to: URL(fileURLWithPath: "runs.jsonl"))
/// ```
public final class RecordingLauncher: ProcessLauncher, @unchecked Sendable {
    private let inner: any ProcessLauncher
    private let handle: FileHandle
    private let lock = NSLock()
    private let redactor = Redactor()

    public init(wrapping inner: any ProcessLauncher, to url: URL) throws {
        self.inner = inner
        let manager = FileManager.default
        guard manager.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        // createFile keeps the mode of a file that was already there.
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        handle = try FileHandle(forWritingTo: url)
    }

    deinit { try? handle.close() }

    public func launch(executable: String, arguments: [String], environment: [String: String],
                       timeout: Duration) async -> ProcessExit {
        let exit = await inner.launch(executable: executable, arguments: arguments, environment: environment,
                                      timeout: timeout)
        let record = RunRecord(argv: ["aws"] + arguments, exit: exit).redacted(by: redactor)
        let line = RunRecording.line(for: record) + "\n"
        lock.withLock { handle.write(Data(line.utf8)) }
        return exit
    }
}
