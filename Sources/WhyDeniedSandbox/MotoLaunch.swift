import WhyDeniedRunner

/// How moto is started. Preferred: moto's own `main` under `python3`, with a watcher thread that
/// ends the server when its stdin (our lifeline pipe) reaches end-of-file — so moto goes with the
/// process that started it, even one killed by SIGKILL, and no sandbox is left answering on a port.
/// When `python3` cannot import moto (moto installed for another interpreter), `moto_server`
/// itself is started and only `stop()` ends it.
struct MotoLaunch: Sendable, Equatable {
    let executable: String
    let arguments: [String]
    let watchesLifeline: Bool

    /// Reads stdin to its end on a daemon thread, then exits at once; moto runs on the main thread.
    static let watcherProgram = """
        import os, sys, threading
        def _end_with_parent():
            sys.stdin.buffer.read()
            os._exit(0)
        threading.Thread(target=_end_with_parent, daemon=True).start()
        from moto.server import main
        main(sys.argv[1:])
        """

    /// Under the watcher when there is a `python3` to run it, else `moto_server` itself.
    static func make(motoServer: String, python: String?, host: String, port: Int) -> MotoLaunch {
        let serverArguments = ["-H", host, "-p", String(port)]
        guard let python else {
            return MotoLaunch(executable: motoServer, arguments: serverArguments, watchesLifeline: false)
        }
        return MotoLaunch(executable: python, arguments: ["-c", watcherProgram] + serverArguments, watchesLifeline: true)
    }
}
