import Foundation
import WhyDeniedRunner
import WhyDeniedSandbox

/// Lends a moto sandbox to one test and always takes it back (reset for the next, or stopped by
/// its own pid when the test stopped it), even when the test body throws. Integration tests gate
/// on `MotoTestSandbox.isAvailable` so they skip, with a message, only where moto_server is not
/// installed.
///
/// ```swift
/// @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server is not installed"))
/// func seedsTheTrail() async throws {
///     try await MotoTestSandbox.with(scenario: "seed") { sandbox, parameters in … }
/// }
/// ```
public enum MotoTestSandbox {
    /// True where moto_server and aws are installed, and always under `WHYDENIED_REQUIRE_MOTO=1`
    /// (set by Scripts/test.sh, which CI runs after installing them): there a missing moto fails
    /// the tests that need it instead of skipping them.
    public static var isAvailable: Bool {
        if ProcessInfo.processInfo.environment["WHYDENIED_REQUIRE_MOTO"] == "1" { return true }
        return MotoSandbox.locateMoto() != nil
            && ExecutableLocator.find("aws", path: ProcessInfo.processInfo.environment["PATH"]) != nil
    }

    /// Holds a `LiveSandboxGate` slot for the sandbox's life. The server is an empty one from
    /// `MotoSandboxPool` (reset after the test before, or new), given back after the body.
    public static func with<Result: Sendable>(_ body: (MotoSandbox) async throws -> Result) async throws -> Result {
        try await LiveSandboxGate.shared.holding {
            let sandbox = try await MotoSandboxPool.shared.take()
            do {
                let result = try await body(sandbox)
                await MotoSandboxPool.shared.giveBack(sandbox)
                return result
            } catch {
                await MotoSandboxPool.shared.giveBack(sandbox)
                throw error
            }
        }
    }

    /// Starts a sandbox, seeds `scenario`, and hands the body the runbook parameters it produced.
    public static func with<Result: Sendable>(scenario name: String,
                                              _ body: (MotoSandbox, [String: String]) async throws -> Result) async throws -> Result {
        let scenario = try SandboxScenario.named(name)
        return try await with { sandbox in
            let seeder = ScenarioSeeder(runner: sandbox.seedingRunner(), workDirectory: sandbox.directory)
            let parameters = try await scenario.seed(seeder)
            return try await body(sandbox, parameters)
        }
    }
}
