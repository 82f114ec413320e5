import Foundation
@testable import WhyDeniedEvidence

/// Paths of the CloudTrail fixtures (see Fixtures/cloudtrail/PROVENANCE.md).
enum CloudTrailFixtures {
    static var directory: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/cloudtrail").path
    }

    static func path(_ name: String) -> String { directory + "/" + name }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    static func read(_ name: String) throws -> CloudTrailReadResult {
        try CloudTrailReader.read(path: path(name))
    }

    static func epoch(_ iso: String) -> Date { Timestamp.parseISO(iso)! }
}
