#if canImport(Glibc)
import Glibc
#endif

/// Sets what every child we spawn gets: default signal handlers and an empty signal mask,
/// whatever the parent has set (we ignore SIGINT while a child owns the terminal); with
/// `ownProcessGroup`, a new process group, so a timeout or a stop can kill the child and
/// everything it started. `attributes` must be initialised (`posix_spawnattr_init`).
func configureSpawnAttributes(_ attributes: inout posix_spawnattr_t, ownProcessGroup: Bool) {
    var defaultSignals = sigset_t()
    sigfillset(&defaultSignals)
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
    if ownProcessGroup {
        posix_spawnattr_setpgroup(&attributes, 0)
        flags |= POSIX_SPAWN_SETPGROUP
    }
    posix_spawnattr_setflags(&attributes, Int16(flags))
}
