/// The operator's `--color` choice: `auto` follows `NO_COLOR`, `TERM=dumb` and what the terminal
/// can do; `always` uses colour whenever the terminal has it (`NO_COLOR` set for other programs
/// included); `never` draws with emphasis only.
public enum ColorChoice: String, CaseIterable, Sendable {
    case auto
    case always
    case never
}
