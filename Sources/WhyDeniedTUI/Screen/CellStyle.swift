/// How one screen cell is drawn: emphasis flags plus a colour role that the backend maps to a
/// colour pair, or to bold/reverse/underline on a monochrome terminal or under `NO_COLOR`.
///
/// ```swift
/// let warning = CellStyle(bold: true, role: .danger)
/// ```
public struct CellStyle: Hashable, Sendable {
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool
    public var role: ColorRole

    public init(bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false,
                role: ColorRole = .normal) {
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
        self.role = role
    }

    public static let plain = CellStyle()
    public static let bold = CellStyle(bold: true)
    public static let reverse = CellStyle(reverse: true)
    public static let dim = CellStyle(dim: true)
}

/// What a piece of text means, so the backend can pick a colour; never the only signal
/// (every status also has a glyph or a word).
public enum ColorRole: Int, CaseIterable, Hashable, Sendable {
    case normal
    case accent
    case success
    case warning
    case danger
    case muted
}
