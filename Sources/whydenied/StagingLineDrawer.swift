import Foundation
import WhyDeniedTUI

/// Redraws the demo's staging line (`StagingStatus`) ten times a second on a terminal, so the
/// 8–18 s of seeding show what is being created instead of a still prompt. Not a terminal: it
/// draws nothing (logs and pipes get the summary line only).
final class StagingLineDrawer: @unchecked Sendable {
    private let lock = NSLock()
    private var status: StagingStatus
    private let startedAt = Date()
    private let drawsLine: Bool
    private var ticker: Task<Void, Never>?

    init(scenario: String) {
        status = StagingStatus(scenario: scenario)
        drawsLine = isatty(STDOUT_FILENO) == 1
        guard drawsLine else { return }
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                self?.draw()
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// The seeder's progress hook.
    func started(_ argv: [String]) {
        lock.withLock { status.started(argv) }
    }

    /// Clears the line and says how the staging went.
    func finish(succeeded: Bool) {
        ticker?.cancel()
        let (commands, elapsed) = lock.withLock { (status.commands, Date().timeIntervalSince(startedAt)) }
        if drawsLine { write("\r\u{1B}[2K") }
        if succeeded {
            print(String(format: "Staged in %.1f s (%d aws commands).", elapsed, commands))
        }
    }

    private func draw() {
        let line = lock.withLock { status.line(elapsed: Date().timeIntervalSince(startedAt), width: Self.terminalWidth()) }
        write("\r\u{1B}[2K" + line)
    }

    private func write(_ text: String) {
        fflush(nil) // what print buffered goes first
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
