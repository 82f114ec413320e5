import Foundation
import WhyDeniedEvidence

/// Reads a local event file into parameter values (what the performer answers
/// `Effect.loadEventFile` with), through the same reader and prefill as a pasted event.
public enum EventFileEvidence {
    public static func read(_ typed: String, workingDirectory: String, home: String?, now: Date = Date()) -> Message {
        switch EventFile.read(typed: typed, workingDirectory: workingDirectory, home: home, now: now) {
        case .success(let prefill) where !prefill.parameters.isEmpty:
            return .eventFileLoaded(path: typed, prefill.parameters, notes: prefill.notes)
        case .success(let prefill):
            return .eventFileFailed(path: typed, prefill.problems.first ?? "the denied event names no parameter")
        case .failure(let error):
            return .eventFileFailed(path: typed, error.description)
        }
    }

    /// Completes a typed path against the file system (what the performer answers `Effect.completePath` with).
    public static func complete(_ typed: String, workingDirectory: String, home: String?) -> Message {
        .pathCompleted(typed: typed, PathCompletion.complete(typed, workingDirectory: workingDirectory, home: home))
    }
}
