/// What a Python program we start ourselves (moto's launcher, the resident CLI driver) takes from
/// our environment: enough to start the interpreter and find its packages, no AWS settings or
/// credentials (those are given per command, or are moto's dummies).
///
/// ```swift
/// let environment = PythonEnvironment.start(from: ProcessInfo.processInfo.environment)
/// ```
public enum PythonEnvironment {
    static let keys: Set<String> = ["PATH", "HOME", "LANG", "LC_ALL", "PYENV_ROOT", "PYENV_VERSION", "PYTHONPATH", "TMPDIR"]

    public static func start(from environment: [String: String]) -> [String: String] {
        environment.filter { keys.contains($0.key) }
    }
}
