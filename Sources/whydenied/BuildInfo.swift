import Foundation

/// What `whydenied --version` prints: the version and the commit the binary was built from.
///
/// No generated file carries the commit and nothing is asked of the network:
/// - an installed binary reads `COMMIT`, written next to it by `Scripts/install.sh`;
/// - a build inside a git checkout reads the checkout's HEAD reflog and takes the commit HEAD
///   pointed at when the binary was written (its modification time), so committing after a
///   build does not make an old binary claim the new commit.
///
/// ```swift
/// BuildInfo.versionLine   // "0.1.0 (commit 016e722f3c…)"
/// ```
enum BuildInfo {
    static let version = "0.1.0"

    static var versionLine: String {
        "\(version) (commit \(commit(executable: executablePath()) ?? "unknown"))"
    }

    /// The running binary's real path: argv[0] is only a name when the binary is found on PATH.
    static func executablePath() -> URL {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: resolved)
        }
        return URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
    }

    static func commit(executable: URL) -> String? {
        let folder = executable.deletingLastPathComponent()
        if let installed = try? String(contentsOf: folder.appendingPathComponent("COMMIT"), encoding: .utf8) {
            let line = installed.trimmingCharacters(in: .whitespacesAndNewlines)
            if !line.isEmpty { return line }
        }
        guard let gitDirectory = GitCheckout.gitDirectory(above: folder) else { return nil }
        let builtAt = (try? FileManager.default.attributesOfItem(atPath: executable.path)[.modificationDate]) as? Date
        return GitCheckout.head(gitDirectory: gitDirectory, asOf: builtAt)
    }
}

/// Reads a git checkout's HEAD from its files, without running git (it may not be installed,
/// and a process would cost more than the whole start-up).
enum GitCheckout {
    /// The `.git` directory of the checkout holding `folder`; a worktree's `.git` file is followed.
    static func gitDirectory(above folder: URL) -> URL? {
        var directory = folder.standardizedFileURL
        for _ in 0..<12 {
            let dotGit = directory.appendingPathComponent(".git")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) {
                if isDirectory.boolValue { return dotGit }
                guard let text = try? String(contentsOf: dotGit, encoding: .utf8),
                      let line = text.split(separator: "\n").first, line.hasPrefix("gitdir: ") else { return nil }
                let path = String(line.dropFirst("gitdir: ".count)).trimmingCharacters(in: .whitespaces)
                return path.hasPrefix("/") ? URL(fileURLWithPath: path)
                    : directory.appendingPathComponent(path).standardizedFileURL
            }
            let parent = directory.deletingLastPathComponent()
            if parent == directory { return nil }
            directory = parent
        }
        return nil
    }

    /// HEAD as of `date` (from the reflog: the last move at or before it), else HEAD now.
    static func head(gitDirectory: URL, asOf date: Date?) -> String? {
        if let date, let reflog = try? String(contentsOf: gitDirectory.appendingPathComponent("logs/HEAD"), encoding: .utf8),
           let atDate = headInReflog(reflog, asOf: date) {
            return atDate
        }
        return currentHead(gitDirectory: gitDirectory)
    }

    /// Each reflog line: `<old> <new> <name> <<email>> <epoch seconds> <zone>\t<message>`.
    static func headInReflog(_ reflog: String, asOf date: Date) -> String? {
        var found: String?
        for line in reflog.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1)[0].split(separator: " ")
            guard fields.count >= 4, let seconds = TimeInterval(fields[fields.count - 2]) else { continue }
            if seconds > date.timeIntervalSince1970 { break }
            found = String(fields[1])
        }
        return found
    }

    static func currentHead(gitDirectory: URL) -> String? {
        guard let head = try? String(contentsOf: gitDirectory.appendingPathComponent("HEAD"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        guard head.hasPrefix("ref: ") else { return head }
        let ref = String(head.dropFirst("ref: ".count))
        // A worktree keeps its branches in the main repository's directory (named in `commondir`).
        var common = gitDirectory
        if let relative = try? String(contentsOf: gitDirectory.appendingPathComponent("commondir"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines) {
            common = relative.hasPrefix("/") ? URL(fileURLWithPath: relative)
                : gitDirectory.appendingPathComponent(relative).standardizedFileURL
        }
        for directory in [gitDirectory, common] {
            if let hash = try? String(contentsOf: directory.appendingPathComponent(ref), encoding: .utf8) {
                return hash.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        let packed = (try? String(contentsOf: common.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
        for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
            return String(line.prefix { $0 != " " })
        }
        return nil
    }
}
