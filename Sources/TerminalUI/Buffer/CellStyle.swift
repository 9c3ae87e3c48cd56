/// What a piece of the screen *means*; a `Theme` decides how each role looks. Views name roles,
/// never colours (Textual's semantic colours), so that a theme, `NO_COLOR` or an 8-colour terminal
/// changes the look without touching a view.
public enum Role: String, CaseIterable, Hashable, Sendable, Codable {
    case text, muted, primary, accent, warning, error, success
    case surface, panel, border, title
    case header, footer, footerKey, disabled
    case selection, cursor, input
    case bar, barEmpty
    case evidenceBase = "evidence-base"
    case evidenceCcMcc = "evidence-cc-mcc"
    case evidenceCurrent = "evidence-current"

    /// How the role shows on a terminal without colour (monochrome theme, `NO_COLOR`): attributes
    /// only, chosen so every role that must stand out still does.
    public var monochromeEmphasis: TextAttributes {
        switch self {
        case .selection, .cursor, .evidenceCurrent, .header, .footerKey: return [.reverse]
        case .title, .error, .warning, .primary: return [.bold]
        case .evidenceBase: return [.underline]
        case .evidenceCcMcc: return [.bold, .underline]
        case .muted, .disabled, .barEmpty: return [.dim]
        default: return []
        }
    }
}

/// Bold, underline, reverse video, dim: the attributes every terminal has.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = TextAttributes(rawValue: 1)
    public static let underline = TextAttributes(rawValue: 2)
    public static let reverse = TextAttributes(rawValue: 4)
    public static let dim = TextAttributes(rawValue: 8)
}

/// The style of one cell: a role, plus attributes a view adds for emphasis (e.g. underline a span).
public struct CellStyle: Hashable, Sendable {
    public var role: Role
    public var attributes: TextAttributes
    public init(_ role: Role = .text, _ attributes: TextAttributes = []) {
        self.role = role; self.attributes = attributes
    }
    public static let plain = CellStyle(.text)
}
