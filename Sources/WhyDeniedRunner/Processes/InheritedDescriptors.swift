#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CProcessSpawn

/// Adds the file action that closes every descriptor above stderr in the child. Without it a
/// long-lived child (moto_server, a CLI that hangs) would inherit whatever another thread had
/// open at that instant: the write end of another command's output pipe (whose reader then waits
/// for EOF until that child exits) or a freshly written script (whose exec then fails with
/// ETXTBSY). Call it after the actions that set up 0, 1 and 2.
func inheritOnlyStandardStreams(_ actions: inout posix_spawn_file_actions_t) {
    inheritOnly(below: 3, &actions)
}

/// The same for a child that is also given descriptors 3 ..< `lowestClosed` (set up by earlier actions).
func inheritOnly(below lowestClosed: Int32, _ actions: inout posix_spawn_file_actions_t) {
    _ = whydenied_spawn_close_from(&actions, lowestClosed)
}

/// A pipe whose both ends are close-on-exec from the start (no window for a concurrent spawn).
func makeCloseOnExecPipe(_ ends: inout [Int32]) -> Bool {
    whydenied_pipe_close_on_exec(&ends) == 0
}
