import Foundation
import WhyDeniedEvidence

/// Tab completion of a typed path, as a shell does it: the folder part is resolved like the
/// file will be (`~` is the home folder, a relative path is under the working directory), and
/// the names in that folder that start with the last part are matched. One match fills it in
/// (a folder with its `/`, so the next Tab lists inside); several fill their common prefix and
/// are listed; hidden names only when the typed part starts with a dot.
///
/// ```swift
/// let completion = PathCompletion.complete("~/Dow", workingDirectory: cwd, home: "/home/ana")
/// completion.text        // "~/Downloads/"
/// completion.candidates  // [] (one match)
/// ```
public struct PathCompletion: Hashable, Sendable {
    /// The typed text after completion (unchanged when nothing more can be filled in).
    public var text: String
    /// The matching names (folders end in `/`) when there are several.
    public var candidates: [String]
    /// Why nothing was completed (no match, folder not readable); nil otherwise.
    public var problem: String?

    public init(text: String, candidates: [String] = [], problem: String? = nil) {
        self.text = text
        self.candidates = candidates
        self.problem = problem
    }

    /// Completes `typed`; `list` gives a folder's entries (folders with a trailing `/`), nil
    /// when the folder cannot be listed.
    public static func complete(_ typed: String, workingDirectory: String, home: String?,
                                list: (String) -> [String]? = PathCompletion.entries(in:)) -> PathCompletion {
        if typed == "~", home != nil { return PathCompletion(text: "~/") }
        let folderPart: String
        let namePart: String
        if let slash = typed.lastIndex(of: "/") {
            folderPart = String(typed[...slash])
            namePart = String(typed[typed.index(after: slash)...])
        } else {
            folderPart = ""
            namePart = typed
        }
        let folder = EventFile.resolve(folderPart.isEmpty ? "." : folderPart, workingDirectory: workingDirectory, home: home)
        guard let names = list(folder) else {
            return PathCompletion(text: typed, problem: "cannot list \(folder)")
        }
        let matches = names.filter { $0.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted()
        switch matches.count {
        case 0:
            let what = namePart.isEmpty ? "nothing to complete in \(folder)" : "no file or folder starts with \"\(namePart)\" in \(folder)"
            return PathCompletion(text: typed, problem: what)
        case 1:
            return PathCompletion(text: folderPart + matches[0])
        default:
            return PathCompletion(text: folderPart + commonPrefix(matches), candidates: matches)
        }
    }

    /// A folder's entries, folders (and links to folders) with a trailing `/`; nil when it cannot be listed.
    public static func entries(in folder: String) -> [String]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        return names.map { name in
            var isFolder: ObjCBool = false
            let full = (folder as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) && isFolder.boolValue ? name + "/" : name
        }
    }

    static func commonPrefix(_ names: [String]) -> String {
        guard var prefix = names.first.map(Array.init) else { return "" }
        for name in names.dropFirst() {
            let characters = Array(name)
            var count = 0
            while count < min(prefix.count, characters.count), prefix[count] == characters[count] { count += 1 }
            prefix.removeLast(prefix.count - count)
        }
        return String(prefix)
    }
}
