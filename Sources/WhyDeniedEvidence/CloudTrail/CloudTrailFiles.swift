import Foundation

extension CloudTrailReader {
    /// File names read when a directory is given: trail files as S3 delivers them
    /// (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`) and local exports.
    static let readableSuffixes = [".json.gz", ".json", ".jsonl", ".ndjson", ".gz"]

    /// Reads a file (plain or gzip, detected from its bytes) or, recursively, a directory of
    /// trail files in path order. Digest files (`CloudTrail-Digest/`) are skipped. In a
    /// directory, a file that cannot be read at all becomes a problem and the others are still
    /// read; a single unreadable file throws.
    ///
    /// ```swift
    /// let result = try CloudTrailReader.read(path: "AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01")
    /// result.filesRead   // number of trail files read
    /// ```
    public static func read(path: String) throws(CloudTrailInputError) -> CloudTrailReadResult {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CloudTrailInputError(source: path, message: "no such file or directory")
        }
        if !isDirectory.boolValue {
            var result = try read(bytes: readFile(path), source: path)
            result.filesRead = 1
            return result
        }
        let files = trailFiles(under: path)
        guard !files.isEmpty else {
            throw CloudTrailInputError(source: path, message: "the directory holds no .json, .json.gz, .jsonl or .ndjson files")
        }
        var result = CloudTrailReadResult()
        for file in files {
            do {
                var one = try read(bytes: readFile(file), source: file)
                one.filesRead = 1
                result.merge(one)
            } catch {
                result.report(CloudTrailReadProblem(position: CloudTrailRecordPosition(source: file), message: error.message))
            }
        }
        return result
    }

    /// Whether `path` is named like a trail file (`.json.gz`, `.gz`, `.json`, `.jsonl`, `.ndjson`).
    public static func isTrailFileName(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return readableSuffixes.contains { lowered.hasSuffix($0) }
    }

    /// The trail files under `directory`, sorted, digest files left out.
    public static func trailFiles(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let lowered = relative.lowercased()
            guard readableSuffixes.contains(where: { lowered.hasSuffix($0) }),
                  !relative.contains("CloudTrail-Digest"), !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
            let full = (directory as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(full)
            }
        }
        return files.sorted()
    }

    static func readFile(_ path: String) throws(CloudTrailInputError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CloudTrailInputError(source: path, message: "cannot read the file (permissions?)")
        }
        return [UInt8](data)
    }
}
