import Foundation

/// The signal that ended a session early, if one did. SIGINT (Ctrl-C from outside the TUI),
/// SIGTERM (`kill`, a service manager) and SIGHUP (the terminal closed) are handled alike: the
/// driver records the signal here and cancels the session; the running `aws` command's process
/// group is ended and reaped, the journal ends with `session_ended: cancelled by SIGTERM`, and
/// whydenied exits 128 + the signal.
///
/// ```swift
/// let interruption = SessionInterruption()
/// interruption.record(SIGTERM)
/// interruption.endReason   // "cancelled by SIGTERM"
/// interruption.exitStatus  // 143
/// ```
public final class SessionInterruption: @unchecked Sendable {
    /// The signals that end a session this way.
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private let lock = NSLock()
    private var received: Int32?

    public init() {}

    /// Records the first signal; later ones change nothing (the session is already ending).
    public func record(_ signal: Int32) {
        lock.withLock { if received == nil { received = signal } }
    }

    public var signal: Int32? { lock.withLock { received } }

    /// The journal's `session_ended` reason, when a signal arrived.
    public var endReason: String? { signal.map { "cancelled by \(Self.name(of: $0))" } }

    /// 128 + the signal, the shell's convention for "ended by this signal".
    public var exitStatus: Int32? { signal.map { 128 + $0 } }

    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(signal)"
        }
    }
}
