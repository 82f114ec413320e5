import Foundation
import Testing
import WhyDeniedJSON
import WhyDeniedRunner

/// The reads a live scenario run recorded, found by service, operation and the arguments that
/// name what was read (the connection's `--region`, `--output` and `--endpoint-url` are ignored).
/// A read the run never made fails the test, naming what was recorded instead.
struct RecordedReads {
    var records: [RunRecord]
    var scenario: String

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    func record(_ service: String, _ operation: String, with arguments: [String] = [],
                sourceLocation: SourceLocation = #_sourceLocation) throws -> RunRecord {
        let found = records.first { record in
            record.argv.count > 2 && record.argv[1] == service && record.argv[2] == operation
                && Self.contains(record.argv, arguments)
        }
        guard let found else {
            let made = records.map { $0.argv.prefix(5).joined(separator: " ") }.joined(separator: "\n  ")
            throw Missing(description: "\(scenario): no recorded `aws \(service) \(operation) \(arguments.joined(separator: " "))`; recorded:\n  \(made)")
        }
        return found
    }

    /// The read's output as JSON; a read that failed is a test failure.
    func json(_ service: String, _ operation: String, with arguments: [String] = [],
              sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let read = try record(service, operation, with: arguments)
        #expect(read.exit == 0, "\(scenario): \(read.argv.joined(separator: " ")): \(read.stderr)", sourceLocation: sourceLocation)
        return try JSONValue.parse(read.stdout)
    }

    /// `arguments` appear in `argv` as one contiguous run (a flag and its value).
    static func contains(_ argv: [String], _ arguments: [String]) -> Bool {
        guard !arguments.isEmpty else { return true }
        guard argv.count >= arguments.count else { return false }
        return (0...(argv.count - arguments.count)).contains { Array(argv[$0..<($0 + arguments.count)]) == arguments }
    }
}
