#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds an executable the way a shell would, without running it: a name containing `/` is taken
/// as a path; otherwise each `PATH` directory is tried in order.
///
/// ```swift
/// ExecutableLocator.find("aws", path: "/usr/local/bin:/usr/bin")   // "/usr/local/bin/aws" or nil
/// ```
public enum ExecutableLocator {
    public static func find(_ name: String, path: String?) -> String? {
        if name.contains("/") { return isExecutable(name) ? name : nil }
        for directory in (path ?? "").split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(directory)/\(name)"
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }

    static func isExecutable(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
