import WhyDeniedTUI

/// What one read from the terminal means: a key, a new terminal size, or (joined by
/// `BracketedPaste`) a whole paste.
public enum TerminalInput: Hashable, Sendable {
    case key(Key)
    case resized
    case paste(String)
    case mouse(MouseEvent)
    /// Read and dropped (a mouse event the UI has no use for, e.g. a release): not a timeout.
    case ignored
}

/// Turns ncurses' `wget_wch` results into `Key`s: text arrives as Unicode scalars (`é`, `日`),
/// special keys as key codes (`KEY_CODE_YES`). Enter arrives as 10, 13 or KEY_ENTER and
/// Backspace as 8, 127 or KEY_BACKSPACE, depending on the terminal.
///
/// ```swift
/// KeyDecoder.decode(status: 0, code: 0x65E5) // .key(.character("日"))
/// ```
public enum KeyDecoder {
    /// ncurses key codes (from curses.h; stable across ncurses versions).
    enum Code {
        static let codeYes: Int32 = 0o400
        static let down: UInt32 = 0o402, up: UInt32 = 0o403, left: UInt32 = 0o404, right: UInt32 = 0o405
        static let home: UInt32 = 0o406, backspace: UInt32 = 0o407, f0: UInt32 = 0o410
        static let deleteChar: UInt32 = 0o512, nextPage: UInt32 = 0o522, previousPage: UInt32 = 0o523
        static let enter: UInt32 = 0o527, backTab: UInt32 = 0o541, end: UInt32 = 0o550
        static let resize: UInt32 = 0o632
    }

    public static func decode(status: Int32, code: UInt32) -> TerminalInput? {
        if status == Code.codeYes { return special(code) }
        guard status == 0 else { return nil }
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 27: return .key(.escape)
        case 1...26:
            return .key(.control(Character(Unicode.Scalar(UInt8(code) + 96))))
        case 0, 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    /// The shim's mouse reading (`wd_read_mouse`): 1 a left press, 2 wheel up, 3 wheel down.
    public static func mouse(kind: Int32, row: Int, column: Int) -> TerminalInput? {
        switch kind {
        case 1: .mouse(MouseEvent(.press, row: row, column: column))
        case 2: .mouse(MouseEvent(.wheelUp, row: row, column: column))
        case 3: .mouse(MouseEvent(.wheelDown, row: row, column: column))
        default: nil
        }
    }

    static func special(_ code: UInt32) -> TerminalInput? {
        switch code {
        case Code.resize: return .resized
        case Code.up: return .key(.up)
        case Code.down: return .key(.down)
        case Code.left: return .key(.left)
        case Code.right: return .key(.right)
        case Code.home: return .key(.home)
        case Code.end: return .key(.end)
        case Code.backspace: return .key(.backspace)
        case Code.deleteChar: return .key(.delete)
        case Code.nextPage: return .key(.pageDown)
        case Code.previousPage: return .key(.pageUp)
        case Code.enter: return .key(.enter)
        case Code.backTab: return .key(.backTab)
        case (Code.f0 + 1)...(Code.f0 + 12): return .key(.function(Int(code - Code.f0)))
        default: return nil
        }
    }
}
