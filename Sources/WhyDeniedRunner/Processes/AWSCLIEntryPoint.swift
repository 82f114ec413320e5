import Foundation

/// Which Python can run an `aws` executable's commands in the resident driver
/// (`ResidentAWSCLI`). Two rules, for two trusts:
/// - `interpreter(of:path:)` (seeding the sandbox, our own commands): the script's `#!` Python,
///   else `python3` on PATH — a start without `awscli` fails and commands fall back.
/// - `cliScriptPython(of:environment:)` (a session's commands, the operator's CLI): only when the
///   executable *is* AWS CLI v1's entry script (a Python `#!` script importing
///   `awscli.clidriver`), directly or behind a pyenv shim; anything else (a wrapper such as
///   aws-vault's, CLI v2's binary, a test's fake) is nil and keeps running as itself.
///
/// ```swift
/// await AWSCLIEntryPoint.cliScriptPython(of: "/usr/local/bin/aws", environment: env)  // "/usr/bin/python3" or nil
/// ```
public enum AWSCLIEntryPoint {
    public static func interpreter(of executable: String, path: String?) -> String {
        if let python = scriptPython(head(of: executable)) { return python }
        return ExecutableLocator.find("python3", path: path) ?? "/usr/bin/python3"
    }

    public static func cliScriptPython(of executable: String, environment: [String: String]) async -> String? {
        let text = head(of: executable, bytes: 8192)
        if scriptPython(text) != nil { return cliScriptInterpreter(text) }
        guard let resolved = await pyenvShimTarget(shimText: text, program: URL(fileURLWithPath: executable).lastPathComponent,
                                             environment: environment) else { return nil }
        return cliScriptInterpreter(head(of: resolved, bytes: 8192))
    }

    /// The Python of a script's text when the script is AWS CLI v1's entry script.
    static func cliScriptInterpreter(_ text: String) -> String? {
        guard let python = scriptPython(text), text.contains("awscli.clidriver") else { return nil }
        return python
    }

    /// The `PYENV_ROOT` a pyenv shim exports.
    static func shimRoot(_ shimText: String) -> String? {
        shimText.split(separator: "\n").first(where: { $0.hasPrefix("export PYENV_ROOT=\"") })
            .map { String($0.dropFirst("export PYENV_ROOT=\"".count).dropLast()) }
    }

    /// The Python `cliScriptPython` will most likely decide on for a pyenv shim, read from
    /// pyenv's own version settings without running pyenv: a guess, to start the drivers' imports
    /// while `pyenv which` says for sure (no command runs before it has). nil where it cannot tell.
    public static func likelyCLIScriptPython(of executable: String, environment: [String: String],
                                             workingDirectory: String = FileManager.default.currentDirectoryPath) -> String? {
        let shim = head(of: executable, bytes: 8192)
        guard scriptPython(shim) == nil,
              let script = likelyPyenvTarget(shimText: shim, program: URL(fileURLWithPath: executable).lastPathComponent,
                                             environment: environment, workingDirectory: workingDirectory) else { return nil }
        return cliScriptInterpreter(head(of: script, bytes: 8192))
    }

    /// The script a pyenv shim runs as `pyenv version-name` chooses the version: `PYENV_VERSION`,
    /// else the nearest `.python-version` from `PYENV_DIR` (the working folder) up, else
    /// `$PYENV_ROOT/version`; of several versions, the first that has `program`. nil for `system`,
    /// or when no version chosen has it.
    static func likelyPyenvTarget(shimText: String, program: String, environment: [String: String],
                                  workingDirectory: String) -> String? {
        guard shimText.hasPrefix("#!"), shimText.contains("\" exec \"$program\""), let root = shimRoot(shimText) else { return nil }
        func words(_ text: String) -> [String] {
            text.split(whereSeparator: { $0.isWhitespace || $0 == ":" }).map(String.init)
                .filter { !$0.hasPrefix("#") && !$0.contains("..") && !$0.contains("/") }
        }
        func file(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
        var versions: [String]?
        if let chosen = environment["PYENV_VERSION"], !chosen.isEmpty { versions = words(chosen) }
        if versions == nil {
            var folder = URL(fileURLWithPath: environment["PYENV_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? workingDirectory).standardizedFileURL
            while true {
                if let text = file(folder.appendingPathComponent(".python-version").path) { versions = words(text); break }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        if versions == nil { versions = file(root + "/version").map(words) }
        for version in versions ?? [] {
            if version == "system" { return nil }
            let candidate = "\(root)/versions/\(version)/bin/\(program)"
            if ExecutableLocator.isExecutable(candidate) { return candidate }
        }
        return nil
    }

    /// The interpreter on a `#!` line when it is a Python given by path (pip's entry scripts).
    static func scriptPython(_ text: String) -> String? {
        guard text.hasPrefix("#!"), let line = text.dropFirst(2).split(separator: "\n").first else { return nil }
        let interpreter = line.trimmingCharacters(in: .whitespaces)
        guard !interpreter.contains(" "), URL(fileURLWithPath: interpreter).lastPathComponent.hasPrefix("python") else { return nil }
        return interpreter
    }

    /// A pyenv shim ends with `exec "<root>/libexec/pyenv" exec "$program" "$@"`; `pyenv which`
    /// says which script it would run (one short process, asked once per launcher).
    static func pyenvShimTarget(shimText: String, program: String, environment: [String: String]) async -> String? {
        guard shimText.hasPrefix("#!"),
              let execLine = shimText.split(separator: "\n").last(where: { $0.hasPrefix("exec \"") && $0.contains("\" exec \"$program\"") }) else {
            return nil
        }
        let pyenv = String(execLine.dropFirst("exec \"".count).prefix { $0 != "\"" })
        guard URL(fileURLWithPath: pyenv).lastPathComponent == "pyenv", ExecutableLocator.isExecutable(pyenv) else { return nil }
        var shimEnvironment = environment
        if let root = shimRoot(shimText) { shimEnvironment["PYENV_ROOT"] = root }
        let which = await ChildProcess.run(executable: pyenv, arguments: ["which", program], environment: shimEnvironment,
                                           timeout: .seconds(10))
        guard which.ending == .exited(0) else { return nil }
        let path = which.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.hasPrefix("/") && ExecutableLocator.isExecutable(path) ? path : nil
    }

    static func head(of path: String, bytes: Int = 256) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        return String(decoding: (try? handle.read(upToCount: bytes)) ?? Data(), as: UTF8.self)
    }
}
