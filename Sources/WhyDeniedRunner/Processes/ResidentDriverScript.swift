/// The Python program a `ResidentAWSCLI` driver runs: one JSON request per line in (`args`,
/// `env`), one JSON answer per line out (`rc`, `stdout`, `stderr`). The protocol has the socket to
/// itself: the driver's own reads and writes of fds 0 and 1 go to /dev/null, and
/// `sys.stdout`/`sys.stderr` are captured per command (with a `.buffer`, as the CLI writes bytes
/// to it for some outputs).
///
/// Started for several drivers at once, the process forks one driver per extra socket it was
/// given once the CLI is imported (`ResidentAWSCLI.Worker.spawn`).
///
/// Each command runs `awscli.clidriver.main()` from scratch (a new session, its own environment
/// and argv); what the driver keeps between commands is only what is the same for all of them:
/// the parsed data files, and the answers of two pure look-ups botocore repeats for every handler
/// a new session registers (about 400 per command): whether a handler's signature takes
/// `**kwargs`, and an event name's alias. Both are keyed so that the cached answer is the one the
/// look-up would give (a function's code object, never a function object whose signature could
/// have been replaced). Where a botocore lacks either, the driver runs without that cache.
enum ResidentDriverScript {
    static let source = #"""
import contextlib, functools, gc, io, json, os, select, sys, types
channel_in = os.dup(0)
channel_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
null = os.open(os.devnull, os.O_RDWR)
os.dup2(null, 0)
os.dup2(null, 1)
sys.stdin = open(os.devnull)
def answer(value):
    channel_out.write(json.dumps(value) + "\n")
    channel_out.flush()
try:
    import awscli
    import awscli.clidriver
except Exception as error:
    answer({"ready": False, "error": "%s: %s" % (type(error).__name__, error)})
    sys.exit(0)
cli_data = os.path.join(os.path.dirname(os.path.abspath(awscli.__file__)), "data")
# One data loader per search path for the driver's life, as one aws process has one for all its
# clients: the CLI's data files (service models, endpoints) are parsed once, not per command
# (three quarters of a command's CPU here). Only what is read from those files is kept.
import botocore.loaders, botocore.session
shared_loaders = {}
def shared_loader(search_path_string=None):
    # The paths as create_loader expands them (~ and variables), with this command's environment.
    key = (search_path_string, os.environ.get("HOME"), os.path.expandvars(search_path_string or ""))
    if key not in shared_loaders:
        shared_loaders[key] = botocore.loaders.create_loader(search_path_string)
    return shared_loaders[key]
botocore.session.create_loader = shared_loader
"""# + "\n" + handlerCaches + "\n" + #"""
# One driver per extra socket (descriptors given as arguments), forked once the CLI is imported,
# with the plugins every command loads: each answers on its own, in a process group of its own;
# the imports are done once per group, not once per driver.
forked_channels = [int(argument) for argument in sys.argv[1:]]
if forked_channels:
    try:
        import awscli.handlers
    except Exception:
        pass
    if hasattr(gc, "freeze"):
        gc.freeze()
forked = []
for position, channel in enumerate(forked_channels):
    child = os.fork()
    if child == 0:
        os.setpgid(0, 0)
        for later in forked_channels[position + 1:]:
            os.close(later)
        channel_out.close()
        os.close(channel_in)
        channel_in = channel
        channel_out = os.fdopen(os.dup(channel), "w", encoding="utf-8")
        forked = []
        break
    forked.append(child)
    os.close(channel)
answer({"ready": True, "version": awscli.__version__, "pid": os.getpid()})
# A command leaves about 20,000 objects in reference cycles (its session, its command table).
# Python's collector would walk them several times while the command runs (a third of its CPU);
# instead, after the first command, they are collected in the pauses: when no request has come
# for QUIET_SECONDS (an operator reading a screen; not the caller's own work between two bursts
# of a batch, such as analysing what was read, which the collection would slow down, often just
# before the driver is stopped), or after COLLECT_AFTER commands (each holds about 1 MB until then).
COLLECT_AFTER = 32
QUIET_SECONDS = 1.0
uncollected = 0
pending = b""
def requests():
    global pending, uncollected
    while True:
        newline = pending.find(b"\n")
        if newline >= 0:
            line, pending = pending[:newline], pending[newline + 1:]
            yield line
            continue
        if uncollected and (uncollected >= COLLECT_AFTER or not select.select([channel_in], [], [], QUIET_SECONDS)[0]):
            gc.collect()
            uncollected = 0
        chunk = os.read(channel_in, 1 << 16)
        if not chunk:
            return
        pending += chunk
frozen = False
for line in requests():
    request = json.loads(line)
    os.environ.clear()
    os.environ.update(request["env"])
    # As awscli's import does for a process of its own: its data folder after the caller's.
    os.environ["AWS_DATA_PATH"] = os.pathsep.join(
        [path for path in request["env"].get("AWS_DATA_PATH", "").split(os.pathsep) if path] + [cli_data])
    # As the aws script does before importing the CLI.
    if os.environ.get("LC_CTYPE", "") == "UTF-8":
        os.environ["LC_CTYPE"] = "en_US.UTF-8"
    sys.argv = ["aws"] + request["args"]
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = awscli.clidriver.main()
        except SystemExit as exit:
            rc = exit.code if isinstance(exit.code, int) else 1
        except BaseException as error:
            err.write("%s: %s\n" % (type(error).__name__, error))
            rc = 255
    answer({"rc": rc if isinstance(rc, int) else 255,
            "stdout": out_bytes.getvalue().decode("utf-8", "replace"),
            "stderr": err_bytes.getvalue().decode("utf-8", "replace")})
    if frozen:
        uncollected += 1
    else:
        # What the first command left (modules, the data files' contents) stays for the driver's
        # life: out of the collector's way, its full collections no longer walk it every time.
        frozen = True
        gc.collect()
        if hasattr(gc, "freeze"):
            gc.freeze()
        gc.disable()
# The input closed: the drivers this one forked end as it does (they read the same end of input);
# they are reaped here, so none is left a zombie for init, and nothing is torn down object by object.
for child in forked:
    try:
        os.waitpid(child, 0)
    except ChildProcessError:
        pass
os._exit(0)
"""#

    /// The two look-up caches (`botocore.hooks` patched in place), a part of its own so that a test
    /// can weigh their answers against botocore's.
    static let handlerCaches = #"""
import functools, types, botocore.hooks
# Whether a handler takes **kwargs depends on its code alone (a plain function, a method's
# function, a partial's function, a callable object's class), unless a __signature__ or
# __wrapped__ says otherwise: those are asked every time.
def signature_key(handler):
    if isinstance(handler, types.MethodType):
        handler = handler.__func__
    if isinstance(handler, types.FunctionType):
        own = handler.__dict__
        return handler.__code__ if "__signature__" not in own and "__wrapped__" not in own else None
    if isinstance(handler, functools.partial):
        inner = signature_key(handler.func)
        return ("partial", inner) if inner is not None else None
    call = getattr(type(handler), "__call__", None)
    if isinstance(call, types.FunctionType) and not hasattr(handler, "__signature__") and not hasattr(handler, "__wrapped__"):
        return ("instance", type(handler), call.__code__)
    return None
if callable(getattr(botocore.hooks, "accepts_kwargs", None)):
    uncached_accepts_kwargs = botocore.hooks.accepts_kwargs
    known_kwargs = {}
    def accepts_kwargs(handler):
        key = signature_key(handler)
        if key is None:
            return uncached_accepts_kwargs(handler)
        if key not in known_kwargs:
            known_kwargs[key] = uncached_accepts_kwargs(handler)
        return known_kwargs[key]
    botocore.hooks.accepts_kwargs = accepts_kwargs
# Every session's aliaser starts with an empty cache of the same default alias table: share it.
aliaser = getattr(botocore.hooks, "EventAliaser", None)
if aliaser is not None and hasattr(botocore.hooks, "EVENT_ALIASES"):
    plain_aliaser_init = aliaser.__init__
    default_aliases = {}
    def aliaser_init(self, event_emitter, event_aliases=None):
        plain_aliaser_init(self, event_emitter, event_aliases)
        if event_aliases is None and isinstance(getattr(self, "_alias_name_cache", None), dict):
            self._alias_name_cache = default_aliases
    aliaser.__init__ = aliaser_init
"""#
}
