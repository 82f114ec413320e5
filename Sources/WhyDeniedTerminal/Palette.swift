import WhyDeniedTUI

/// How colour roles are shown: as colour pairs when the terminal has colours and `NO_COLOR`
/// is unset, otherwise with emphasis only (monochrome), so meaning never depends on colour.
///
/// ```swift
/// Palette.choose(environment: ["NO_COLOR": "1"], terminalHasColors: true) // .monochrome
/// Palette.choose(.always, environment: ["NO_COLOR": "1"], terminalHasColors: true) // .colour
/// ```
public enum Palette: Hashable, Sendable {
    case colour
    case monochrome

    public static func choose(_ choice: ColorChoice = .auto, environment: [String: String],
                              terminalHasColors: Bool) -> Palette {
        switch choice {
        case .never: return .monochrome
        case .always: return terminalHasColors ? .colour : .monochrome
        case .auto: break
        }
        if environment["NO_COLOR"].map({ !$0.isEmpty }) == true { return .monochrome }
        if environment["TERM"] == "dumb" { return .monochrome }
        return terminalHasColors ? .colour : .monochrome
    }

    /// ncurses colour number (COLOR_RED …) for a role's foreground; nil for the default colour.
    public static func foreground(_ role: ColorRole) -> Int16? {
        switch role {
        case .normal: nil
        case .accent: 6 // cyan
        case .success: 2 // green
        case .warning: 3 // yellow
        case .danger: 1 // red
        case .muted: 4 // blue
        }
    }

    /// The emphasis a cell gets on this palette: the cell's own flags, plus what stands in for
    /// colour on a monochrome screen (danger underlined and bold, success/warning bold, muted dim).
    public func emphasis(for style: CellStyle) -> CellStyle {
        guard self == .monochrome else { return style }
        var result = style
        switch style.role {
        case .danger:
            result.bold = true
            result.underline = true
        case .warning, .success, .accent:
            result.bold = true
        case .muted:
            result.dim = true
        case .normal:
            break
        }
        result.role = .normal
        return result
    }
}
