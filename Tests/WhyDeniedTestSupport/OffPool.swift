import Foundation

/// Runs blocking work (a child process waited for with `waitUntilExit`, a blocking read) on a
/// thread of its own and awaits it. On a 2-core machine Swift's cooperative pool has two
/// threads: a test that blocks one of them for minutes delays every timing-bound test beside it.
///
/// ```swift
/// let result = try await OffPool.run { try WhyDeniedBinary.run(["parse", path]) }
/// ```
public enum OffPool {
    public static func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Swift.Result { try body() }) }
            thread.start()
        }
    }
}
