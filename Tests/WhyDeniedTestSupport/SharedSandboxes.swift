import Foundation
import WhyDeniedSandbox

/// One live moto per seeded state, shared by every test of this test process that only reads it:
/// the first asker starts and seeds it (through the real `aws` CLI, as `MotoTestSandbox` does),
/// the others wait for that and reuse it. Issue 17: the same scenario used to be started and seeded
/// once per test. A test that changes the account, stops moto or needs its own state keeps
/// `MotoTestSandbox.with`; a test on the empty sandbox works on names of its own.
///
/// ```swift
/// try await SharedSandboxes.reading(scenario: "seed") { sandbox, parameters in … }
/// ```
///
/// The sandboxes live until the test process ends: moto's lifeline ends with it, and an exit
/// handler stops them where moto runs without one.
public actor SharedSandboxes {
    /// A change made once to a freshly seeded sandbox, before any test reads it; its name tells
    /// the prepared state apart from the plain scenario.
    public struct Preparation: Sendable {
        public var name: String
        public var apply: @Sendable (MotoSandbox) async throws -> Void

        public init(name: String, apply: @escaping @Sendable (MotoSandbox) async throws -> Void) {
            self.name = name
            self.apply = apply
        }
    }

    public struct Seeded: Sendable {
        public var sandbox: MotoSandbox
        public var parameters: [String: String]
    }

    static let shared = SharedSandboxes()

    private var sandboxes: [String: Task<Seeded, any Error>] = [:]

    /// Runs `body` against the shared sandbox seeded with `scenario` (none: an empty moto), after
    /// `preparation`, holding a `LiveSandboxGate` slot while it runs (and while the first asker seeds).
    public static func reading<Result: Sendable>(scenario: String?, prepared preparation: Preparation? = nil,
                                                 _ body: (MotoSandbox, [String: String]) async throws -> Result) async throws -> Result {
        try await LiveSandboxGate.shared.holding {
            let seeded = try await shared.seeded(scenario: scenario, preparation: preparation)
            return try await body(seeded.sandbox, seeded.parameters)
        }
    }

    private func seeded(scenario: String?, preparation: Preparation?) async throws -> Seeded {
        let key = [scenario ?? "(empty)", preparation?.name].compactMap { $0 }.joined(separator: "+")
        if let seeding = sandboxes[key] { return try await seeding.value }
        let seeding = Task { try await Self.start(scenario: scenario, preparation: preparation) }
        sandboxes[key] = seeding
        return try await seeding.value
    }

    private static func start(scenario name: String?, preparation: Preparation?) async throws -> Seeded {
        let sandbox = try await MotoSandbox.start(seedingDrivers: SeedingDrivers.shared)
        StopAtExit.register(sandbox)
        var parameters: [String: String] = [:]
        if let name {
            let seeder = ScenarioSeeder(runner: sandbox.seedingRunner(), workDirectory: sandbox.directory)
            parameters = try await SandboxScenario.named(name).seed(seeder)
        }
        try await preparation?.apply(sandbox)
        return Seeded(sandbox: sandbox, parameters: parameters)
    }
}

/// Stops the shared sandboxes when the test process exits normally.
enum StopAtExit {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var sandboxes: [MotoSandbox] = []
    nonisolated(unsafe) private static var installed = false

    static func register(_ sandbox: MotoSandbox) {
        lock.withLock {
            sandboxes.append(sandbox)
            if !installed {
                installed = true
                atexit { StopAtExit.stopAll() }
            }
        }
    }

    private static func stopAll() {
        let all = lock.withLock { sandboxes }
        for sandbox in all { sandbox.stop() }
    }
}
