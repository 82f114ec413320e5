import Foundation
import WhyDeniedJSON

/// The one place the guided session touches files: the folder trail log files are downloaded to
/// (`s3api get-object … PATH`) and reading a downloaded file back for its parser. Kept apart so
/// the rest of `GuidedSession` stays free of I/O.
///
/// ```swift
/// TrailLogDownloads.prepare(folder: session.downloadDirectory)
/// let bytes = TrailLogDownloads.read(item: command.item)   // the file get-object wrote
/// ```
enum TrailLogDownloads {
    /// A fresh private folder under the system's temporary directory (a journaled session uses
    /// its own folder instead).
    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("whydenied-trail-logs-\(UUID().uuidString.prefix(8))", isDirectory: true).path
    }

    /// Creates the folder (0700) so the CLI can write into it; a failure is returned as a note.
    static func prepare(folder: String) -> String? {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            return nil
        } catch {
            return "could not create the download folder \(folder): \(error.localizedDescription)"
        }
    }

    /// The bytes of the file a get-object command wrote (its item's `download_path`), if any.
    static func read(item: JSONValue?) -> [UInt8]? {
        guard let path = item?["download_path"]?.stringValue,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return Array(data)
    }
}
