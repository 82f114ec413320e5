import Foundation
import WhyDeniedJSON
import WhyDeniedRedaction

/// Where sessions live: `$XDG_STATE_HOME/whydenied/sessions/<id>/` (default
/// `~/.local/state/whydenied/sessions`), every folder 0700 and every file 0600.
///
/// ```swift
/// let store = SessionStore(environment: ProcessInfo.processInfo.environment)
/// let folder = try store.createSession()
/// let journal = try JournalWriter(folder: folder)
/// store.listSessions()   // newest first
/// ```
public struct SessionStore: Sendable, Hashable {
    public var root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The default root for an environment: `XDG_STATE_HOME` if set and absolute, else
    /// `$HOME/.local/state`.
    public init(environment: [String: String]) {
        let stateHome: URL
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            stateHome = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? FileManager.default.homeDirectoryForCurrentUser
            stateHome = home.appendingPathComponent(".local/state", isDirectory: true)
        }
        self.init(root: stateHome.appendingPathComponent("whydenied/sessions", isDirectory: true))
    }

    /// Creates a new, empty session folder with a sortable id (`20261123-110300-4f2a9c`).
    public func createSession(at date: Date = Date()) throws -> SessionFolder {
        let stamp = date.formatted(Date.VerbatimFormatStyle(
            format: "\(year: .defaultDigits)\(month: .twoDigits)\(day: .twoDigits)-\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased))\(minute: .twoDigits)\(second: .twoDigits)",
            timeZone: TimeZone(identifier: "UTC")!, calendar: Calendar(identifier: .gregorian)))
        let suffix = String(format: "%06x", UInt32.random(in: 0...0xFFFFFF))
        let folder = SessionFolder(id: "\(stamp)-\(suffix)", url: root.appendingPathComponent("\(stamp)-\(suffix)", isDirectory: true))
        try folder.create()
        return folder
    }

    /// The folder of an existing session, or nil when there is none with that id. Ids are
    /// checked so `../` cannot escape the store.
    public func session(id: String) -> SessionFolder? {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        let url = root.appendingPathComponent(id, isDirectory: true)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(SessionFolder.journalName).path) else { return nil }
        return SessionFolder(id: id, url: url)
    }

    /// Every session with a journal, newest first.
    public func listSessions() -> [SessionSummary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted(by: >).compactMap { name in
            guard let folder = session(id: name), let reading = try? JournalReading(contentsOf: folder.journalURL) else {
                return nil
            }
            return SessionSummary(RecordedSession(id: name, reading: reading))
        }
    }

    /// Creates a directory (and its parents) readable only by the owner.
    static func makePrivateDirectory(_ url: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
    }
}

/// One session's folder: the journal, saved command outputs, policy backups and the documents
/// prepared for changes. Paths recorded in the journal are relative to this folder.
///
/// ```swift
/// let saved = try folder.saveOutput(stdout, name: "0003-stdout.txt", redactor: Redactor())
/// saved.relativePath   // "outputs/0003-stdout.txt"
/// ```
public struct SessionFolder: Sendable, Hashable {
    public static let journalName = "journal.jsonl"

    public var id: String
    public var url: URL

    public init(id: String, url: URL) {
        self.id = id
        self.url = url
    }

    public var journalURL: URL { url.appendingPathComponent(Self.journalName) }
    public var outputsURL: URL { url.appendingPathComponent("outputs", isDirectory: true) }
    public var backupsURL: URL { url.appendingPathComponent("backups", isDirectory: true) }
    public var changesURL: URL { url.appendingPathComponent("changes", isDirectory: true) }

    func create() throws {
        try SessionStore.makePrivateDirectory(url)
    }

    /// A file written under the session folder: where it is and the SHA-256 of its bytes.
    public struct SavedFile: Sendable, Hashable {
        public var relativePath: String
        public var url: URL
        public var sha256: String
    }

    /// Saves a command's output, redacted, under `outputs/`. The digest is of the saved bytes,
    /// so anyone can check the file against the journal.
    public func saveOutput(_ text: String, name: String, redactor: Redactor = Redactor()) throws -> SavedFile {
        try save(Data(redactor.redactOutput(text).utf8), in: "outputs", name: name)
    }

    /// Writes a pretty-printed document at a path relative to the folder (`backups/…`,
    /// `changes/…`). An existing file with other content is never overwritten: a backup is
    /// the only copy of what was there. The redactor runs here too: policies hold no secrets,
    /// so a policy comes out unchanged, but nothing else can slip through this way.
    public func saveDocument(_ document: JSONValue, relativePath: String, redactor: Redactor = Redactor()) throws -> SavedFile {
        let parts = relativePath.split(separator: "/").map(String.init)
        guard parts.count == 2, !parts.contains(".."), !parts.contains(".") else {
            throw CocoaError(.fileWriteInvalidFileName, userInfo: [NSFilePathErrorKey: relativePath])
        }
        let data = Data((redactor.redact(document).serialized(pretty: true) + "\n").utf8)
        let existing = url.appendingPathComponent(relativePath)
        if let current = try? Data(contentsOf: existing) {
            guard current == data else {
                throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: existing.path])
            }
            return SavedFile(relativePath: relativePath, url: existing, sha256: SHA256Digest.hex(of: data))
        }
        return try save(data, in: parts[0], name: parts[1])
    }

    /// A file path read from the journal (`outputs/0003-….stdout.txt`), resolved inside this
    /// folder; nil when it would leave it — absolute, through `..`, or through a symbolic link —
    /// since a journal edited by someone else must not make whydenied read files elsewhere.
    public func containedFile(_ relativePath: String) -> URL? {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: true)
        guard !relativePath.hasPrefix("/"), !parts.isEmpty, !parts.contains("..") else { return nil }
        let root = url.resolvingSymlinksInPath().standardizedFileURL.path
        let file = url.appendingPathComponent(relativePath).resolvingSymlinksInPath().standardizedFileURL
        guard file.path.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { return nil }
        return file
    }

    /// Resolves a path recorded in the journal (relative to the folder) to a URL.
    public func resolve(_ relativePath: String) -> URL {
        relativePath.hasPrefix("/") ? URL(fileURLWithPath: relativePath) : url.appendingPathComponent(relativePath)
    }

    private func save(_ data: Data, in subfolder: String, name: String) throws -> SavedFile {
        let safeName = String(name.map { $0 == "/" || $0 == "\\" ? "_" : $0 })
        let directory = url.appendingPathComponent(subfolder, isDirectory: true)
        try SessionStore.makePrivateDirectory(directory)
        let file = directory.appendingPathComponent(safeName)
        let manager = FileManager.default
        if manager.fileExists(atPath: file.path) { try manager.removeItem(at: file) }
        guard manager.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return SavedFile(relativePath: "\(subfolder)/\(safeName)", url: file, sha256: SHA256Digest.hex(of: data))
    }
}
