import Foundation
import WhyDeniedEvidence
import WhyDeniedJSON

/// Reads trail files and keeps the denied events: files are read in parallel (one worker per
/// core), each read and inflated whole (libdeflate; a file too large for that is streamed in
/// chunks through zlib), cut into records without parsing, and only records that carry an error
/// code are parsed. Results come out in file order, so runs are repeatable.
///
/// ```swift
/// let scanner = TrailScanner(criteria: ScanCriteria(action: "s3:GetObject"))
/// let summary = scanner.scan(files) { denial in print(denial.eventID) }
/// ```
public struct TrailScanner: Sendable {
    public let criteria: ScanCriteria
    public let workers: Int

    public init(criteria: ScanCriteria, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.criteria = criteria
        self.workers = max(1, workers)
    }

    /// Scans `files`, calling `onDenial` in file order (from one thread at a time) and `onProgress`
    /// after each file. A file that cannot be read is reported in `problems`; the rest go on.
    public func scan(
        _ files: [TrailFile],
        onDenial: (DeniedRecord) -> Void,
        onProgress: ((ScanSummary) -> Void)? = nil
    ) -> ScanSummary {
        scan(files, render: { $0 }, onRendered: onDenial, onProgress: onProgress)
    }

    /// As `scan(_:onDenial:onProgress:)`, with `render` (redaction, serialization) run by the worker
    /// that read the file, in parallel, and `onRendered` called with its results in file order.
    /// Printing one at a time is then all that is left to the one thread that holds the lock.
    public func scan<Rendered: Sendable>(
        _ files: [TrailFile],
        render: @escaping @Sendable (DeniedRecord) -> Rendered,
        onRendered: (Rendered) -> Void,
        onProgress: ((ScanSummary) -> Void)? = nil
    ) -> ScanSummary {
        // Files claimed but not yet released: bounds the finished results held back for order.
        let board = ResultBoard<Rendered>(fileCount: files.count, window: workers * 4)
        let criteria = self.criteria
        let started = Date()
        // The caller's closures run only on the thread that holds the board's lock.
        nonisolated(unsafe) let emit = onRendered
        nonisolated(unsafe) let progress = onProgress
        DispatchQueue.concurrentPerform(iterations: min(workers, max(files.count, 1))) { _ in
            let reader = WholeFileReader()
            while let index = board.claimNextFile() {
                let result = Self.scanFile(files[index], criteria: criteria, reader: reader)
                let rendered = result.denials.map(render)
                board.finish(index, result, rendered: rendered, started: started) { ready, summary in
                    for denial in ready { emit(denial) }
                    progress?(summary)
                }
            }
        }
        return board.summary(started: started)
    }

    static func scanFile(_ file: TrailFile, criteria: ScanCriteria, reader: WholeFileReader) -> FileResult {
        var result = FileResult()
        var splitter = RecordSplitter()
        let onRecord: (UnsafeBufferPointer<UInt8>) -> Void = { bytes in
            guard !result.notCloudTrail else { return }
            // The first record says whether the file is CloudTrail at all (one parse per file).
            if result.events == 0, let problem = Self.notARecord(bytes) {
                result.notCloudTrail = true
                result.problems.append("\(file.path): not CloudTrail: \(problem)")
                return
            }
            result.events += 1
            do {
                if let record = try DenialFilter.denial(in: bytes, criteria: criteria) {
                    result.denials.append(DeniedRecord(file: file.path, record: record))
                }
            } catch {
                result.problems.append("\(file.path): record \(result.events): \(error)")
            }
        }
        // Large files, and gzip libdeflate refuses (zlib then says what is wrong), in chunks.
        func stream() throws {
            guard let handle = FileHandle(forReadingAtPath: file.path) else {
                result.problems.append("\(file.path): cannot open the file for reading")
                return
            }
            defer { try? handle.close() }
            var inflater: GzipInflater?
            var first = true
            // Compressed bytes are inflated straight into the splitter: no copy of the plain text.
            while !result.notCloudTrail, let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
                let bytes = [UInt8](data)
                if first, GzipInflater.isGzip(bytes) { inflater = try GzipInflater(outputChunkSize: 1 << 20) }
                first = false
                if let inflater {
                    try inflater.feed(bytes) { plain in
                        result.bytes += plain.count
                        splitter.feed(plain, onRecord: onRecord)
                    }
                } else {
                    result.bytes += bytes.count
                    bytes.withUnsafeBufferPointer { splitter.feed($0, onRecord: onRecord) }
                }
            }
            if !result.notCloudTrail {
                try inflater?.finish()
                try splitter.finish(onRecord: onRecord)
            }
        }
        do {
            switch try reader.read(file.path) {
            case .text(let text):
                result.bytes = text.count
                splitter.feed(text, onRecord: onRecord)
                if !result.notCloudTrail { try splitter.finish(onRecord: onRecord) }
            case .stream:
                try stream()
            }
        } catch {
            result.problems.append("\(file.path): \(error)")
        }
        if result.events == 0, result.problems.isEmpty {
            result.problems.append("\(file.path): not CloudTrail: no records in it")
        }
        return result
    }

    /// Why the first record of a file is not a CloudTrail record (not JSON, not an object,
    /// none of a record's keys), or nil when it is one.
    static func notARecord(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let value = try? JSONValue.parse(Array(bytes)) else { return "its first record is not valid JSON" }
        guard case .object(let object) = value else { return "its first record is not a JSON object" }
        return CloudTrailEvent.looksLikeRecord(object) ? nil : "its first record is not a CloudTrail record: \(CloudTrailEvent.whyNotARecord(object))"
    }

    struct FileResult: Sendable {
        var notCloudTrail = false
        var events = 0
        var bytes = 0
        var denials: [DeniedRecord] = []
        var problems: [String] = []
    }
}

/// Totals of a scan, for the progress line and the closing summary.
public struct ScanSummary: Sendable {
    public var filesRead = 0
    /// Files that held at least one CloudTrail record.
    public var cloudTrailFiles = 0
    public var filesTotal = 0
    public var events = 0
    public var denied = 0
    public var bytes = 0
    public var seconds = 0.0
    public var problems: [String] = []

    public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
}

/// Hands out file indexes to workers and releases finished files' results in file order. At most
/// `window` files are out between claim and release, so a slow file holds back a bounded number
/// of finished ones.
final class ResultBoard<Rendered: Sendable>: @unchecked Sendable {
    private let lock = NSCondition()
    private let window: Int
    private var nextToClaim = 0
    private var nextToEmit = 0
    private var finished: [Int: [Rendered]] = [:]
    private var totals = ScanSummary()

    init(fileCount: Int, window: Int) {
        totals.filesTotal = fileCount
        self.window = max(1, window)
    }

    /// The next file to read, nil when none is left. Waits while `window` files are out: the
    /// oldest of them is being read by another worker, whose release wakes this one.
    func claimNextFile() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        while nextToClaim < totals.filesTotal, nextToClaim - nextToEmit >= window { lock.wait() }
        guard nextToClaim < totals.filesTotal else { return nil }
        defer { nextToClaim += 1 }
        return nextToClaim
    }

    func finish(_ index: Int, _ result: TrailScanner.FileResult, rendered: [Rendered], started: Date,
                release: ([Rendered], ScanSummary) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        finished[index] = rendered
        totals.filesRead += 1
        if result.events > 0 { totals.cloudTrailFiles += 1 }
        totals.events += result.events
        totals.bytes += result.bytes
        totals.denied += result.denials.count
        totals.problems += result.problems
        totals.seconds = Date().timeIntervalSince(started)
        var ready: [Rendered] = []
        while let next = finished.removeValue(forKey: nextToEmit) {
            ready += next
            nextToEmit += 1
        }
        lock.broadcast()
        release(ready, totals)
    }

    func summary(started: Date) -> ScanSummary {
        lock.lock()
        defer { lock.unlock() }
        var result = totals
        result.seconds = Date().timeIntervalSince(started)
        return result
    }
}
