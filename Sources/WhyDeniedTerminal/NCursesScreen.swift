import CNCursesW
import Foundation
import WhyDeniedTUI

/// The ncurses backend: puts a `ScreenBuffer` on the real terminal and reads keys with wide
/// characters. Confined to the main actor because ncurses is not thread-safe. The terminal is
/// restored by `stop()`, and also at exit and on fatal signals (handlers installed by `start()`).
///
/// ```swift
/// let screen = try NCursesScreen.start(environment: ProcessInfo.processInfo.environment)
/// defer { screen.stop() }
/// screen.draw(Guided.view(state))
/// ```
@MainActor
public final class NCursesScreen {
    public let palette: Palette
    private var stopped = false

    /// Why the terminal could not be used.
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// True when both stdin and stdout are terminals (otherwise the app runs headless).
    public nonisolated static func isInteractive() -> Bool {
        isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    public static func start(environment: [String: String], color: ColorChoice = .auto) throws(StartError) -> NCursesScreen {
        guard isInteractive() else { throw StartError(description: "stdin or stdout is not a terminal") }
        // The locale must be set before initscr, or wide characters come out as bytes.
        if setlocale(LC_ALL, "") == nil || !localeIsUTF8() {
            setlocale(LC_ALL, "C.UTF-8")
        }
        guard initscr() != nil else { throw StartError(description: "ncurses could not initialise the terminal") }
        wd_install_terminal_restore()
        raw()       // Ctrl-C/Ctrl-D/Ctrl-V arrive as keys; no XON/XOFF surprises
        noecho()
        nonl()
        keypad(wd_stdscr(), true)
        wd_set_escdelay(25)
        fflush(nil)
        wd_bracketed_paste(1)
        wd_enable_mouse()
        let palette = Palette.choose(color, environment: environment, terminalHasColors: has_colors())
        if palette == .colour {
            start_color()
            use_default_colors()
            for role in ColorRole.allCases {
                if let fg = Palette.foreground(role) { init_pair(Int16(role.rawValue), fg, -1) }
            }
        }
        return NCursesScreen(palette: palette)
    }

    private init(palette: Palette) {
        self.palette = palette
    }

    private static func localeIsUTF8() -> Bool {
        guard let name = setlocale(LC_CTYPE, nil) else { return false }
        let value = String(cString: name).lowercased()
        return value.contains("utf-8") || value.contains("utf8")
    }

    public var size: TerminalSize {
        TerminalSize(width: Int(wd_cols()), height: Int(wd_lines()))
    }

    /// Waits up to `milliseconds` for one key (or a resize); nil on timeout.
    public func read(timeoutMilliseconds milliseconds: Int32) -> TerminalInput? {
        wtimeout(wd_stdscr(), milliseconds)
        var code: wint_t = 0
        let status = wd_get_wch(&code)
        if status == KeyDecoder.Code.codeYes, Int32(code) == wd_key_mouse() {
            var row: Int32 = 0
            var column: Int32 = 0
            let kind = wd_read_mouse(&row, &column)
            return KeyDecoder.mouse(kind: kind, row: Int(row), column: Int(column)) ?? .ignored
        }
        return KeyDecoder.decode(status: status, code: UInt32(code))
    }

    /// Puts `text` on the clipboard of the terminal the operator sits at: an OSC 52 sequence,
    /// which terminals and tmux (`set-clipboard on`) honour, also over SSH. It moves no cursor
    /// and draws nothing, so it goes straight to the terminal between frames.
    public func copyToClipboard(_ text: String) {
        let sequence = ClipboardSequence.osc52(text)
        fflush(nil) // whatever ncurses buffered goes first
        FileHandle.standardOutput.write(Data(sequence.utf8))
    }

    /// Draws the whole buffer; ncurses sends only what changed since the last frame.
    public func draw(_ buffer: ScreenBuffer) {
        werase(wd_stdscr())
        let rows = min(buffer.height, Int(wd_lines()))
        let columns = min(buffer.width, Int(wd_cols()))
        for row in 0..<rows {
            var column = 0
            while column < columns {
                let style = buffer[row, column].style
                var run = ""
                let start = column
                while column < columns, buffer[row, column].style == style {
                    // The bottom-right cell, added, would scroll the screen: it is inserted below.
                    if row == rows - 1, column == columns - 1 { break }
                    run += buffer[row, column].text
                    column += 1
                }
                if !run.isEmpty {
                    apply(style)
                    _ = run.withCString { wd_put_string(Int32(row), Int32(start), $0) }
                }
                if row == rows - 1, column == columns - 1 {
                    let corner = buffer[row, column]
                    apply(corner.style)
                    _ = corner.text.withCString { wd_insert_string(Int32(row), Int32(column), $0) }
                    column += 1
                }
            }
        }
        wd_set_attributes(wd_a_normal(), 0)
        if let cursor = buffer.cursor, cursor.row < rows, cursor.column < columns {
            curs_set(1)
            wmove(wd_stdscr(), Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wnoutrefresh(wd_stdscr())
        doupdate()
    }

    private func apply(_ style: CellStyle) {
        let shown = palette.emphasis(for: style)
        var attributes = wd_a_normal()
        if shown.bold { attributes |= wd_a_bold() }
        if shown.reverse { attributes |= wd_a_reverse() }
        if shown.dim { attributes |= wd_a_dim() }
        if shown.underline { attributes |= wd_a_underline() }
        let pair: Int16 = palette == .colour && Palette.foreground(shown.role) != nil ? Int16(shown.role.rawValue) : 0
        wd_set_attributes(attributes, pair)
    }

    /// Leaves curses mode and gives the terminal back as it was.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        curs_set(1)
        fflush(nil)
        wd_bracketed_paste(0)
        endwin()
        wd_terminal_restored()
    }
}
