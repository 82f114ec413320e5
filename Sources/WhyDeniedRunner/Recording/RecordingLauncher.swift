import Foundation

/// Wraps a launcher and appends every process start to a recording file (JSON Lines).
///
/// ```swift
/// let launcher = try RecordingLauncher(wrapping: ChildProcess(), to: URL(fileURLWithPath: "runs.jsonl"))
/// ```
public final class RecordingLauncher: ProcessLauncher, @unchecked Sendable {
    private let inner: any ProcessLauncher
    private let handle: FileHandle
    private let lock = NSLock()

    public init(wrapping inner: any ProcessLauncher, to url: URL) throws {
        self.inner = inner
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
    }

    deinit { try? handle.close() }

    public func launch(executable: String, arguments: [String], environment: [String: String],
                       timeout: Duration) async -> ProcessExit {
        let exit = await inner.launch(executable: executable, arguments: arguments, environment: environment,
                                      timeout: timeout)
        let line = RunRecording.line(for: RunRecord(argv: ["aws"] + arguments, exit: exit)) + "\n"
        lock.withLock { handle.write(Data(line.utf8)) }
        return exit
    }
}
