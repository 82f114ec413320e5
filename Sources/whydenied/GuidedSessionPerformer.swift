import Foundation
import WhyDeniedEvidence
import WhyDeniedGuided
import WhyDeniedTUI

/// Carries out the TUI's effects on the terminal's loop: reads pasted text into parameter
/// values, and hands session effects to the session's loop (`GuidedSessionLoop`: the model's
/// work carried out by `GuidedSessionDriver`). Session effects run one after another, in the
/// order the UI asked for them, each in its own task so a running command can be cancelled;
/// answers come back to the UI loop as messages.
final class GuidedSessionPerformer: EffectPerformer, @unchecked Sendable {
    let driver: GuidedSessionDriver
    /// The session's state; taken out for each effect's task and put back when it ends.
    private var loop: GuidedSessionLoop
    private struct Job: Sendable {
        var effect: Effect
        var send: @Sendable (Message) -> Void
    }

    private let jobs: AsyncStream<Job>.Continuation
    private var worker: Task<Void, Never>?
    private let lock = NSLock()
    private var current: Task<(GuidedSessionLoop, [Message]), Never>?
    /// Set when the UI cancels; a command that has not started yet is cancelled as it starts.
    private var cancelRequested = false
    /// Set by `shutdown`: effects still queued are not started.
    private var closed = false

    init(driver: GuidedSessionDriver) {
        self.driver = driver
        loop = GuidedSessionLoop(driver: driver)
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        jobs = continuation
        worker = Task.detached { [weak self] in
            for await job in stream {
                guard let self else { return }
                await self.handle(job)
            }
        }
    }

    func perform(_ effect: Effect, send: @escaping @Sendable (Message) -> Void) {
        switch effect {
        case .parsePastedText(let text):
            Task.detached { send(PastedEvidence.read(text)) }
        case .loadEventFile(let path):
            let (directory, home) = Self.pathContext()
            Task.detached { send(EventFileEvidence.read(path, workingDirectory: directory, home: home)) }
        case .completePath(let typed):
            let (directory, home) = Self.pathContext()
            Task.detached { send(EventFileEvidence.complete(typed, workingDirectory: directory, home: home)) }
        case .cancelRunningCommand:
            lock.withLock {
                cancelRequested = true
                current?.cancel()
            }
        case .quit, .copyToClipboard:
            break
        case .runCommand:
            lock.withLock { cancelRequested = false }
            jobs.yield(Job(effect: effect, send: send))
        case .startSession, .skipCommand, .setChangesEnabled, .exportReport, .offerChangeAgain, .checkCredentials, .retryFailedStep:
            jobs.yield(Job(effect: effect, send: send))
        }
    }

    /// Where typed paths are relative to: the folder whydenied was started in, and `~`.
    private static func pathContext() -> (workingDirectory: String, home: String?) {
        (FileManager.default.currentDirectoryPath, ProcessInfo.processInfo.environment["HOME"])
    }

    private func handle(_ job: Job) async {
        let effect = job.effect
        // Started under the lock, so `shutdown` either sees it as `current` or it never starts.
        let started: Task<(GuidedSessionLoop, [Message]), Never>? = lock.withLock {
            if closed { return nil }
            let before = loop
            let task = Task<(GuidedSessionLoop, [Message]), Never> {
                var loop = before
                let messages = await loop.perform(effect)
                return (loop, messages)
            }
            current = task
            if cancelRequested, case .runCommand = effect { task.cancel() }
            return task
        }
        guard let task = started else { return }
        let (after, messages) = await task.value
        lock.withLock {
            loop = after
            current = nil
        }
        for message in messages { job.send(message) }
    }

    /// Called once the UI has closed: stops a running command, lets it finish (its process group
    /// ended and reaped, its `finished` line written), then records how the session ended, so
    /// `session_ended` is the journal's last line. Effects still queued are dropped.
    func shutdown(reason: String) async {
        let running = lock.withLock {
            closed = true
            current?.cancel()
            return current
        }
        jobs.finish()
        if let ran = await running?.value { lock.withLock { loop = ran.0 } }
        var ending = lock.withLock { loop }
        await ending.end(reason: reason)
        lock.withLock { loop = ending }
    }
}
