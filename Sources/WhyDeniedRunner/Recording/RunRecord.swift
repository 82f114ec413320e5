import WhyDeniedRedaction
import WhyDeniedSession

/// One process start as stored in a recording: one JSON object per line of the file.
///
/// ```json
/// {"argv":["aws","sts","get-caller-identity","--output","json"],"stdout":"{…}","stderr":"","ending":"exited","exit":0,"duration_ms":412}
/// ```
/// `argv` starts with `aws` (not the executable's path) so a recording replays on any machine.
/// `ending` is one of `exited`, `signalled`, `timed_out`, `cancelled`, `not_started`; `exit` is the
/// exit status or signal number; `detail` explains `not_started`.
public struct RunRecord: Sendable, Equatable, Codable {
    public var argv: [String]
    public var stdout: String
    public var stderr: String
    public var ending: String
    public var exit: Int32?
    public var detail: String?
    public var durationMilliseconds: Int

    enum CodingKeys: String, CodingKey {
        case argv, stdout, stderr, ending, exit, detail
        case durationMilliseconds = "duration_ms"
    }

    public init(argv: [String], exit processExit: ProcessExit) {
        self.argv = argv
        stdout = processExit.stdout
        stderr = processExit.stderr
        durationMilliseconds = processExit.durationMilliseconds
        detail = nil
        switch processExit.ending {
        case .exited(let code): ending = "exited"; exit = code
        case .signalled(let signal): ending = "signalled"; exit = signal
        case .timedOut: ending = "timed_out"; exit = nil
        case .cancelled: ending = "cancelled"; exit = nil
        case .notStarted(let reason): ending = "not_started"; exit = nil; detail = reason
        }
    }

    /// The record as it may be stored: argv, stdout, stderr and detail through the redactor.
    /// A replay matches argv after the same redaction (`ReplayLauncher`).
    public func redacted(by redactor: Redactor) -> RunRecord {
        var copy = self
        copy.argv = redactor.redact(argv: argv)
        copy.stdout = redactor.redactOutput(stdout)
        copy.stderr = redactor.redactOutput(stderr)
        copy.detail = detail.map(redactor.redact)
        return copy
    }

    public var processExit: ProcessExit {
        let commandEnding: CommandEnding
        switch ending {
        case "exited": commandEnding = .exited(exit ?? 0)
        case "signalled": commandEnding = .signalled(exit ?? 9)
        case "timed_out": commandEnding = .timedOut
        case "cancelled": commandEnding = .cancelled
        default: commandEnding = .notStarted(detail ?? "recorded as not started")
        }
        return ProcessExit(stdout: stdout, stderr: stderr, ending: commandEnding, durationMilliseconds: durationMilliseconds)
    }
}
