/// A terminal colour as a theme file names it: the terminal's default, one of the 16 ANSI colours,
/// or one of the 256 xterm colours. `degraded(to:)` maps it onto what the terminal has.
public enum Color: Hashable, Sendable {
    case terminalDefault
    case ansi(Int)       // 0...15
    case indexed(Int)    // 0...255

    static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses "default", "red", "bright-blue", "208" (an xterm index) or "#ff8700" (nearest xterm colour).
    public init?(name: String) {
        let n = name.lowercased().trimmingCharacters(in: .whitespaces)
        if n == "default" || n.isEmpty { self = .terminalDefault; return }
        if let i = Color.ansiNames.firstIndex(of: n) { self = .ansi(i); return }
        if n.hasPrefix("bright-"), let i = Color.ansiNames.firstIndex(of: String(n.dropFirst(7))) { self = .ansi(i + 8); return }
        if let i = Int(n), (0...255).contains(i) { self = .indexed(i); return }
        if n.hasPrefix("#"), n.count == 7, let v = Int(n.dropFirst(), radix: 16) {
            self = .indexed(Color.nearestIndex(r: (v >> 16) & 255, g: (v >> 8) & 255, b: v & 255, among: 16..<256)); return
        }
        return nil
    }

    /// The ncurses colour number on a terminal of `depth` (-1 is the terminal's default).
    public func number(for depth: ColorDepth) -> Int {
        switch (self, depth) {
        case (.terminalDefault, _), (_, .monochrome): return -1
        // Bright black (grey) would become black, invisible on a dark terminal: it becomes white.
        case (.ansi(let i), .ansi8): return i == 8 ? 7 : i % 8
        case (.ansi(let i), _): return i
        case (.indexed(let i), .ansi256): return i
        case (.indexed(let i), .ansi16):
            let (r, g, b) = Color.rgb(i); return Color.nearestIndex(r: r, g: g, b: b, among: 0..<16)
        case (.indexed(let i), .ansi8):
            let (r, g, b) = Color.rgb(i); return Color.nearestIndex(r: r, g: g, b: b, among: 0..<8)
        }
    }

    /// The xterm palette's RGB for index `i`.
    static func rgb(_ i: Int) -> (Int, Int, Int) {
        let base16: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if i < 16 { return base16[max(0, i)] }
        if i < 232 {
            let levels = [0, 95, 135, 175, 215, 255], c = i - 16
            return (levels[c / 36], levels[(c / 6) % 6], levels[c % 6])
        }
        let g = 8 + 10 * (i - 232)
        return (g, g, g)
    }

    static func nearestIndex(r: Int, g: Int, b: Int, among range: Range<Int>) -> Int {
        range.min { a, c in
            let (ar, ag, ab) = rgb(a), (cr, cg, cb) = rgb(c)
            let da = (ar - r) * (ar - r) + (ag - g) * (ag - g) + (ab - b) * (ab - b)
            let dc = (cr - r) * (cr - r) + (cg - g) * (cg - g) + (cb - b) * (cb - b)
            return da < dc
        } ?? 0
    }
}

/// What a terminal can show: no colour (or `NO_COLOR`), 8, 16 or 256 colours.
public enum ColorDepth: Int, Hashable, Sendable, Comparable {
    case monochrome = 0, ansi8 = 8, ansi16 = 16, ansi256 = 256

    /// The depth for a terminal reporting `colors` colours; `NO_COLOR` (any value) means monochrome
    /// (https://no-color.org).
    public static func detect(colors: Int, environment: [String: String]) -> ColorDepth {
        if let v = environment["NO_COLOR"], !v.isEmpty { return .monochrome }
        if colors >= 256 { return .ansi256 }
        if colors >= 16 { return .ansi16 }
        if colors >= 8 { return .ansi8 }
        return .monochrome
    }

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
}
