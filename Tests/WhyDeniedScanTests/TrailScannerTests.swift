import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedScan

@Suite struct TrailScannerTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path

    func scan(_ paths: [String], _ criteria: ScanCriteria = ScanCriteria(), workers: Int = 2) throws -> (ids: [String], summary: ScanSummary) {
        let files = try TrailFileFinder.files(in: paths, since: criteria.since, until: criteria.until).kept
        var ids: [String] = []
        let summary = TrailScanner(criteria: criteria, workers: workers).scan(files) { ids.append($0.eventID) }
        return (ids, summary)
    }

    /// The troubleshooting guide's pipeline: decompress, then let jq pick the denied records.
    func jqSelection(_ files: [String]) throws -> [String] {
        let filter = #"(if type == "array" then .[] elif has("Records") then .Records[] else . end) | select((.errorCode // "") | test("accessdenied|unauthorized"; "i")) | .eventID"#
        var ids: [String] = []
        for file in files {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            // Paths are test fixtures; the shell only joins zcat and jq here.
            process.arguments = ["-c", "zcat -f \"$1\" | jq -r '\(filter)'", "sh", file]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "jq failed on \(file)")
            ids += String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        return ids
    }

    @Test func selectsTheSameEventsAsTheJqPipeline() throws {
        let files = try TrailFileFinder.files(in: [Self.fixtures]).kept.map(\.path)
        let (ids, summary) = try scan([Self.fixtures])
        #expect(summary.problems.isEmpty)
        #expect(ids.count >= 51)
        #expect(ids.sorted() == (try jqSelection(files)).sorted())
    }

    @Test func readsGzipFilesCompletely() throws {
        let (ids, summary) = try scan([Self.fixtures + "/DERIVED_stratus-red-team_all-events_Records.json.gz"])
        #expect(summary.events == 310)
        #expect(ids.count == 51)
        #expect(ids.first == "450230d4-b39e-4a18-a6a0-d07a6e2105cb")
    }

    @Test func resultsComeInFileOrderWhateverTheWorkers() throws {
        let one = try scan([Self.fixtures], workers: 1).ids
        let two = try scan([Self.fixtures], workers: 2).ids
        #expect(one == two)
    }

    @Test func narrowsByPrincipalActionAndTime() throws {
        let gz = Self.fixtures + "/DERIVED_stratus-red-team_all-events_Records.json.gz"
        let byAction = try scan([gz], ScanCriteria(action: "organizations:Leave*")).ids
        #expect(byAction.count == 1)
        let byRole = try scan([gz], ScanCriteria(principal: "stratus-red-team-ec2-get-password-data-role")).ids
        let byRoleArn = try scan([gz], ScanCriteria(principal: "arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role")).ids
        // A bare name matches the role behind a session (sessionIssuer.userName), as an operator types it.
        #expect(byRoleArn.count == 30)
        #expect(byRole == byRoleArn)
        #expect(try scan([gz], ScanCriteria(principal: "someone-else")).ids.isEmpty)
        let formatter = ISO8601DateFormatter()
        let inWindow = try scan([gz], ScanCriteria(since: formatter.date(from: "2024-07-30T21:31:21Z"), until: formatter.date(from: "2024-07-30T21:31:21Z"))).ids
        #expect(inWindow.count == 3)
    }

    @Test func prunesFilesByTheDayInTheirPath() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let source = URL(fileURLWithPath: Self.fixtures + "/DERIVED_stratus-red-team_all-events_Records.json.gz")
        for day in ["29", "30", "31"] {
            let folder = root.appendingPathComponent("AWSLogs/111122223333/CloudTrail/us-east-1/2024/07/\(day)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent("111122223333_CloudTrail_us-east-1_202407\(day)T2130Z_abc.json.gz"))
        }
        let formatter = ISO8601DateFormatter()
        let found = try TrailFileFinder.files(in: [root.path], since: formatter.date(from: "2024-07-30T10:00:00Z"), until: formatter.date(from: "2024-07-30T23:00:00Z"))
        #expect(found.kept.count == 1)
        #expect(found.pruned == 2)
        #expect(found.kept.first?.path.contains("/2024/07/30/") == true)
    }

    @Test func aTruncatedGzipIsReportedAndTheOtherFilesStillRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/DERIVED_stratus-red-team_all-events_Records.json.gz"))
        try data.prefix(data.count / 2).write(to: folder.appendingPathComponent("a-truncated.json.gz"))
        try data.write(to: folder.appendingPathComponent("b-whole.json.gz"))
        let (ids, summary) = try scan([folder.path])
        #expect(summary.problems.count == 1)
        #expect(summary.problems.first?.contains("a-truncated.json.gz") == true)
        #expect(ids.count >= 51)
    }

    @Test func garbageFilesAreProblemsNotCrashes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let noise = Data((0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try noise.write(to: folder.appendingPathComponent("noise.json"))
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02]).write(to: folder.appendingPathComponent("bad.json.gz"))
        let summary = try scan([folder.path]).summary
        #expect(summary.filesRead == 2)
        #expect(summary.problems.contains { $0.contains("bad.json.gz") })
    }

    @Test func missingPathIsAClearError() {
        #expect(throws: TrailFileFinder.FindError.self) { try TrailFileFinder.files(in: ["/no/such/trail"]) }
    }
}
