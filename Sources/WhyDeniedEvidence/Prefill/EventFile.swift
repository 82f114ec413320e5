import Foundation

/// Why a local event file gave no evidence: the path as the operator typed it, where it was
/// looked for, and what was wrong (missing, unreadable, too big, not JSON with the line and
/// column, no denied event).
///
/// ```swift
/// error.description  // "~/trail.json (/home/ana/trail.json): not valid JSON (… line 3, column 9); expected CloudTrail JSON"
/// ```
public struct EventFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var resolvedPath: String
    public var problem: String

    public init(path: String, resolvedPath: String, problem: String) {
        self.path = path
        self.resolvedPath = resolvedPath
        self.problem = problem
    }

    public var description: String {
        (path == resolvedPath ? path : "\(path) (\(resolvedPath))") + ": " + problem
    }
}

/// A local CloudTrail file read as evidence: one event, `{"Records": [...]}`, a list, lookup-events
/// or filter-log-events output, each plain or gzipped (`.json.gz` as S3 delivers trail files).
/// The records go through the one reader (`CloudTrailReader`) and the one prefill
/// (`Prefill.from(events:)`) a pasted event goes through, so a file fills the form exactly as
/// pasting its content would; several denied events: the latest, noted, as for a paste.
///
/// ```swift
/// switch EventFile.read(typed: "~/Downloads/trail.json.gz", workingDirectory: cwd, home: home, now: .now) {
/// case .success(let prefill): prefill["principal"]?.value
/// case .failure(let error): error.description
/// }
/// ```
public enum EventFile {
    /// Largest file read: an event file or one trail file, not an archive (`whydenied scan` reads those).
    public static let largestFileBytes = 16 * 1024 * 1024
    /// Largest inflated content of a `.gz` file, for the same reason.
    public static let largestInflatedBytes = 64 * 1024 * 1024

    /// The absolute path for what the operator typed: `~` and `~/…` are the home folder, a
    /// relative path is under the working directory.
    public static func resolve(_ typed: String, workingDirectory: String, home: String?) -> String {
        var path = typed
        if let home, path == "~" || path.hasPrefix("~/") {
            path = home + path.dropFirst()
        }
        if !path.hasPrefix("/") {
            path = (workingDirectory as NSString).appendingPathComponent(path)
        }
        return (path as NSString).standardizingPath
    }

    /// Reads the file at the typed path (refusing a missing, unreadable, folder, device or too
    /// large one) and hands its bytes to `prefill(bytes:path:now:)`.
    public static func read(typed: String, workingDirectory: String, home: String?, now: Date) -> Result<Prefill, EventFileError> {
        let trimmed = typed.trimmingCharacters(in: .whitespaces)
        let resolved = resolve(trimmed, workingDirectory: workingDirectory, home: home)
        func failure(_ problem: String) -> Result<Prefill, EventFileError> {
            .failure(EventFileError(path: trimmed, resolvedPath: resolved, problem: problem))
        }
        guard !trimmed.isEmpty else { return failure("no path given") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            return failure("no such file")
        }
        if isDirectory.boolValue {
            return failure("a folder, not a file (whydenied scan reads folders of trail files)")
        }
        // The attributes of what a link points to; a device or a pipe could be read forever.
        let attributes = (try? FileManager.default.attributesOfItem(atPath: (resolved as NSString).resolvingSymlinksInPath)) ?? [:]
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            return failure("not a regular file (a device, pipe or socket)")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size > largestFileBytes {
            return failure("\(megabytes(size)) is more than the \(megabytes(largestFileBytes)) read here; "
                           + "whydenied scan searches big trail files and archives")
        }
        guard FileManager.default.isReadableFile(atPath: resolved),
              let data = FileManager.default.contents(atPath: resolved) else {
            return failure("cannot be read (permissions?)")
        }
        return prefill(bytes: [UInt8](data), path: trimmed, resolvedPath: resolved, now: now)
    }

    /// The evidence in a file's bytes, or why there is none. Pure: the bytes and the path in,
    /// the prefill or the error out.
    public static func prefill(bytes input: [UInt8], path: String, resolvedPath: String? = nil, now: Date,
                               inflatedLimit: Int = largestInflatedBytes) -> Result<Prefill, EventFileError> {
        let resolved = resolvedPath ?? path
        func failure(_ problem: String) -> Result<Prefill, EventFileError> {
            .failure(EventFileError(path: path, resolvedPath: resolved, problem: problem))
        }
        var bytes = input
        if GzipInflater.isGzip(bytes) {
            switch inflate(bytes, limit: inflatedLimit) {
            case .success(let inflated): bytes = inflated
            case .failure(.tooLarge):
                return failure("inflates to more than the \(megabytes(inflatedLimit)) read here; "
                               + "whydenied scan searches big trail files and archives")
            case .failure(.corrupt(let problem)):
                return failure("gzip data that cannot be inflated: \(problem)")
            }
        }
        let result: CloudTrailReadResult
        do {
            result = try CloudTrailReader.read(bytes: bytes, source: path)
        } catch {
            return failure(error.message)
        }
        guard !result.events.isEmpty else {
            let first = result.problems.first.map { ": \($0.description)" } ?? ""
            return failure("no CloudTrail event could be read\(first)")
        }
        guard !result.deniedEvents.isEmpty else {
            let count = result.events.count
            return failure("\(count) event\(count == 1 ? "" : "s") read, none denied "
                           + "(no AccessDenied or UnauthorizedOperation error code)")
        }
        var prefill = Prefill.from(events: result, now: now)
        // Each value's origin names the file, for the form and the session record.
        for index in prefill.parameters.indices {
            prefill.parameters[index].origin = "\(path), " + prefill.parameters[index].origin
        }
        return .success(prefill)
    }

    enum InflateFailure: Error { case tooLarge, corrupt(String) }

    /// Inflates gzip content, stopping as soon as it grows past `limit` (a decompression bomb
    /// or an archive-sized trail file).
    static func inflate(_ bytes: [UInt8], limit: Int) -> Result<[UInt8], InflateFailure> {
        var inflated: [UInt8] = []
        do {
            let inflater = try GzipInflater()
            try inflater.feed(bytes) { piece in
                guard inflated.count + piece.count <= limit else { throw InflateFailure.tooLarge }
                inflated.append(contentsOf: piece)
            }
            try inflater.finish()
        } catch let failure as InflateFailure {
            return .failure(failure)
        } catch {
            return .failure(.corrupt("\(error)"))
        }
        return .success(inflated)
    }

    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
