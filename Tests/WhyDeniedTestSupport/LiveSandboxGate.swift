import Foundation

/// At most one live sandbox (a moto_server, the real `aws` CLI's processes, a session) per core at
/// a time. A live session keeps about one core busy; letting every moto-backed test start at once
/// on a 2-core machine only slows each of them until their command time-outs fire.
///
/// ```swift
/// let answer = try await LiveSandboxGate.shared.holding { try await runTheSession() }
/// ```
public actor LiveSandboxGate {
    /// One per core (at least two), or `WHYDENIED_TEST_LIVE_SLOTS`: the end-to-end phase, whose
    /// tmux walks wait on screens more than they compute, takes more (Scripts/test.sh).
    public static let shared = LiveSandboxGate(slots: ProcessInfo.processInfo.environment["WHYDENIED_TEST_LIVE_SLOTS"].flatMap { Int($0) }
                                                   .map { max(1, $0) } ?? max(2, ProcessInfo.processInfo.activeProcessorCount))

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(slots: Int) { free = slots }

    private func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }

    /// Runs `body` holding a slot; not re-entrant: a body must not ask for another slot.
    public nonisolated func holding<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}
