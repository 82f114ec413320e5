import Foundation
import WhyDeniedJSON

/// Reads a runbook file and checks it, treating it as untrusted input: every problem comes back
/// as a `RunbookIssue` with file and line (unknown or missing keys, wrong types, placeholders
/// naming nothing, duplicate ids, `foreach` over something that is not a list capture, bad YAML,
/// and, with a `classifier`, a command that changes the account without `mutates: true`), all
/// of them, not just the first.
///
/// ```swift
/// do {
///     let runbook = try RunbookLoader.load(contentsOf: "Runbooks/access-denied.yaml", classifier: CommandClassifier.bundled)
/// } catch let error as RunbookLoadError {
///     print(error)   // "access-denied.yaml:42: unknown key \"argvv\" in command ..."
/// }
/// ```
public enum RunbookLoader {
    /// The only schema this loader understands.
    public static let schema = "whydenied/runbook@1"

    /// Loads and checks the file. With a `classifier`, every command not marked `mutates: true`
    /// must classify read-only; without one (tests of the format) only the structure is checked.
    /// Whoever runs the runbook passes one; the session classifies each command again anyway.
    public static func load(contentsOf path: String,
                            classifier: (any CommandClassifying)? = nil) throws(RunbookLoadError) -> Runbook {
        let name = (path as NSString).lastPathComponent
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > YAMLTree.maximumBytes {
                throw RunbookLoadError(issues: [RunbookIssue(
                    file: name, line: 1, reason: "file is \(size) bytes; a runbook may be at most \(YAMLTree.maximumBytes)")])
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as RunbookLoadError {
            throw error
        } catch {
            throw RunbookLoadError(issues: [RunbookIssue(file: name, line: 0, reason: "can't read the file: \(error.localizedDescription)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RunbookLoadError(issues: [RunbookIssue(file: name, line: 1, reason: "the file is not UTF-8 text")])
        }
        return try load(text: text, file: name, classifier: classifier)
    }

    /// Loads a runbook from text; `file` is the name used in issue messages.
    public static func load(text: String, file: String,
                            classifier: (any CommandClassifying)? = nil) throws(RunbookLoadError) -> Runbook {
        let tree: YAMLTree
        switch YAMLTree.parse(text, file: file) {
        case .success(let parsed): tree = parsed
        case .failure(let error): throw error
        }
        var decoder = RunbookDecoder(file: file, classifier: classifier)
        let runbook = decoder.decodeRunbook(tree)
        if let runbook {
            decoder.validate(runbook)
        }
        if !decoder.issues.isEmpty || runbook == nil {
            throw RunbookLoadError(issues: decoder.issues.isEmpty
                ? [RunbookIssue(file: file, line: tree.line, reason: "not a runbook")] : decoder.issues)
        }
        return runbook!
    }
}
