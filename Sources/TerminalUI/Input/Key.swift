/// A key as the application sees it, after the backend decoded escape sequences.
/// Printable keys are `.character`; Ctrl-letter chords are `.control("c")` (lower-case letter).
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case character(Character)
    case control(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)

    /// How the key is written in the footer, the help overlay and docs/KEYBINDINGS.md.
    public var description: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .control(let c): return "Ctrl-\(c.uppercased())"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .function(let n): return "F\(n)"
        }
    }

    /// The printable character of this key, if it types one (used by text fields).
    public var typedCharacter: Character? {
        if case .character(let c) = self { return c }
        return nil
    }
}

/// A mouse button event at a cell.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, scrollUp, scrollDown }
    public var x: Int
    public var y: Int
    public var kind: Kind
    public init(x: Int, y: Int, kind: Kind = .press) { self.x = x; self.y = y; self.kind = kind }
}

/// What a terminal delivers: a key, a mouse event or a new size.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(Size)
}
