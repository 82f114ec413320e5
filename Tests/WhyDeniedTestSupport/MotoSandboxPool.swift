import Foundation
import WhyDeniedSandbox

/// The moto servers `MotoTestSandbox.with` lends, reused one test after another: a test gets an
/// idle server reset to empty (moto's `POST /moto-api/reset`) with its folder as it started, or a
/// new one. A start costs moto's imports and the sandbox's CLI drivers (about a second of CPU);
/// dozens of tests seed a scenario each. A server a test stopped, or one that does not take the
/// reset, is stopped and never lent again.
public actor MotoSandboxPool {
    public static let shared = MotoSandboxPool()

    private var idle: [MotoSandbox] = []

    public func take() async throws -> MotoSandbox {
        while let sandbox = idle.popLast() {
            if sandbox.isRunning, (try? await MotoAPI.post("\(sandbox.endpointURL)/moto-api/reset", "")) == 200,
               (try? sandbox.restoreFolder()) != nil {
                return sandbox
            }
            sandbox.stop()
        }
        let sandbox = try await MotoSandbox.start(seedingDrivers: SeedingDrivers.shared)
        StopAtExit.register(sandbox)
        return sandbox
    }

    public func giveBack(_ sandbox: MotoSandbox) {
        if sandbox.isRunning { idle.append(sandbox) } else { sandbox.stop() }
    }
}
