import Foundation
import Testing
@testable import WhyDeniedScan

@Suite struct ConcurrentScanTests {
    /// A trail file of `count` events, every third one denied, with ids that say where they are.
    func trailText(file: Int, count: Int) -> [UInt8] {
        let records = (0..<count).map { index in
            let denied = index % 3 == 0 ? #","errorCode":"AccessDenied""# : ""
            return #"{"eventVersion":"1.08","eventTime":"2024-07-30T21:31:21Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","eventID":"f\#(file)-e\#(index)""# + denied + "}"
        }
        return Array(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8)
    }

    @Test func resultsComeInFileOrderAcrossManyFilesAndWorkers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("order-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var expected: [String] = []
        for file in 0..<60 {
            // Sizes vary, so files finish out of order; gzip (several members for some) and plain mixed.
            let count = [1, 400, 7, 1500, 30][file % 5]
            let text = trailText(file: file, count: count)
            let name = String(format: "file-%03d", file)
            switch file % 3 {
            case 0: try Data(text).write(to: folder.appendingPathComponent(name + ".json"))
            case 1: try Data(StoredGzip.member(text)).write(to: folder.appendingPathComponent(name + ".json.gz"))
            default:
                let half = text.count / 2
                let members = StoredGzip.member(Array(text[..<half])) + StoredGzip.member(Array(text[half...]))
                try Data(members).write(to: folder.appendingPathComponent(name + ".json.gz"))
            }
            expected += stride(from: 0, to: count, by: 3).map { "f\(file)-e\($0)" }
        }
        let files = try TrailFileFinder.files(in: [folder.path]).kept
        for workers in [1, 3, 8] {
            var ids: [String] = []
            let summary = TrailScanner(criteria: ScanCriteria(), workers: workers).scan(files) { ids.append($0.eventID) }
            #expect(summary.problems.isEmpty)
            #expect(summary.filesRead == 60)
            #expect(ids == expected, "workers: \(workers)")
        }
    }

    @Test func denialsAreRenderedByTheWorkersInParallelAndArriveInFileOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in 0..<2 {
            try Data(trailText(file: file, count: 1)).write(to: folder.appendingPathComponent("file-\(file).json"))
        }
        let files = try TrailFileFinder.files(in: [folder.path]).kept
        // File 0's render waits for file 1's to start: only workers rendering side by side get past it.
        let secondStarted = DispatchSemaphore(value: 0)
        let rendered = TrailScanner(criteria: ScanCriteria(), workers: 2)
        var lines: [String] = []
        _ = rendered.scan(files, render: { denial in
            if denial.eventID == "f1-e0" { secondStarted.signal(); return "second" }
            return secondStarted.wait(timeout: .now() + 10) == .success ? "first" : "first, rendered alone"
        }, onRendered: { lines.append($0) })
        #expect(lines == ["first", "second"])
    }

    @Test func aClaimWaitsWhileTheWindowOfFilesOutIsFull() {
        let board = ResultBoard<DeniedRecord>(fileCount: 5, window: 2)
        #expect(board.claimNextFile() == 0)
        #expect(board.claimNextFile() == 1)
        // File 1 finishing does not release anything: file 0 is still out.
        board.finish(1, TrailScanner.FileResult(), rendered: [], started: Date()) { _, _ in }
        let claimed = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var third: Int?
        Thread.detachNewThread {
            third = board.claimNextFile()
            claimed.signal()
        }
        #expect(claimed.wait(timeout: .now() + 0.3) == .timedOut)
        board.finish(0, TrailScanner.FileResult(), rendered: [], started: Date()) { _, _ in }
        #expect(claimed.wait(timeout: .now() + 10) == .success)
        #expect(third == 2)
    }
}
