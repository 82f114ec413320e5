#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CProcessSpawn

/// A child that must not outlive the process that opened it (the guided session `demo` opens):
/// the kernel signals it when that parent ends, however it ends. The parent names itself in the
/// child's environment; a parent already gone by the time we ask is signalled at once.
public enum ParentLifeline {
    public static let environmentKey = "WHYDENIED_PARENT_PID"

    /// Arms the parent-death signal for the parent named by `parentPid` (the value the parent
    /// put under `environmentKey`). Returns true when armed.
    @discardableResult
    public static func arm(signal number: Int32, parentPid: String) -> Bool {
        guard let named = pid_t(parentPid) else { return false }
        guard whydenied_set_parent_death_signal(number) == 0 else { return false }
        if getppid() != named { kill(getpid(), number) }
        return true
    }
}
