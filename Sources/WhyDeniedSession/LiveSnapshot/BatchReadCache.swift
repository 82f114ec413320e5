import WhyDeniedRunbook

/// Runs each distinct read once per batch: a later request with the same argv gets the first
/// outcome back without starting `aws` again (a managed policy attached to ten roles is read
/// once), also when the second request comes while the first is still running (the batch's
/// reads overlap: `BoundedConcurrency`). Keeps every argv it started, so the caller can count the processes and a test can
/// classify each one. `announce` is told of every command, and whether it was started.
///
/// ```swift
/// let reads = BatchReadCache(wrapping: runner) { argv, started in print(started ? "$ " : "= ", argv) }
/// _ = await reads.run(CommandRequest(argv: ["aws", "iam", "get-role", "--role-name", "R"]))
/// await reads.started.count   // 1, however often it is asked
/// ```
public actor BatchReadCache: SessionEffects {
    private let effects: any SessionEffects
    private let announce: @Sendable (_ argv: [String], _ started: Bool) -> Void
    private var outcomes: [[String]: CommandOutcome] = [:]
    private var running: [[String]: Task<CommandOutcome, Never>] = [:]
    /// Every argv started, in order.
    public private(set) var started: [[String]] = []
    /// How many requests were answered from the cache.
    public private(set) var reused = 0

    public init(wrapping effects: any SessionEffects,
                announce: @escaping @Sendable (_ argv: [String], _ started: Bool) -> Void = { _, _ in }) {
        self.effects = effects
        self.announce = announce
    }

    public func run(_ request: CommandRequest) async -> CommandOutcome {
        if let known = outcomes[request.argv] {
            reused += 1
            announce(request.argv, false)
            return known
        }
        if let first = running[request.argv] {
            reused += 1
            announce(request.argv, false)
            return await first.value
        }
        announce(request.argv, true)
        started.append(request.argv)
        let effects = self.effects
        let read = Task { await effects.run(request) }
        running[request.argv] = read
        // Cancelling the asker cancels the read it started; a cancelled outcome is not kept.
        let outcome = await withTaskCancellationHandler { await read.value } onCancel: { read.cancel() }
        running[request.argv] = nil
        // A cancelled read is not an answer: the next ask runs it.
        if outcome.failure != .cancelled { outcomes[request.argv] = outcome }
        return outcome
    }

    public func isToolAvailable(_ name: String) async -> Bool {
        await effects.isToolAvailable(name)
    }
}
