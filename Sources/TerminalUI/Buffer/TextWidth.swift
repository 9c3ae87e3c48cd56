/// How many terminal columns a character occupies, following the rules of `wcwidth(3)` and
/// Unicode's East Asian Width (UAX #11) without consulting the C locale, so that tests and the
/// running program agree.
///
/// - A `Character` is a grapheme cluster: "e\u{301}" (e + combining acute) is one character of width 1;
///   the combining mark travels with its base into the same cell.
/// - Wide (W/F) characters and emoji with emoji presentation take 2 columns.
/// - A lone combining mark, a format character (ZWJ, ZWSP) or a control character takes 0.
///
/// It deliberately does not handle ambiguous-width characters as wide (they are 1, as in most
/// Western terminals), nor the exact ZWJ-sequence rendering of every terminal.
public enum TextWidth {
    /// The column width of one grapheme cluster: 0, 1 or 2.
    public static func columns(of character: Character) -> Int {
        // Printable ASCII (a single scalar), the common case, without the Unicode property lookups.
        if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F { return 1 }
        guard let first = character.unicodeScalars.first else { return 0 }
        let value = first.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B { return 0 }
        if first.properties.isEmojiPresentation { return 2 }
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) && first.properties.isEmoji { return 2 }
        return isWide(value) ? 2 : 1
    }

    /// The column width of a string: the sum over its grapheme clusters.
    public static func columns(of text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// The longest prefix of `text` that fits in `width` columns, with "…" when it was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        if columns(of: text) <= width { return text }
        let room = ellipsis ? width - 1 : width
        var out = "", used = 0
        for ch in text {
            let w = columns(of: ch)
            if used + w > room { break }
            out.append(ch); used += w
        }
        return ellipsis ? out + "…" : out
    }

    /// `text` padded with spaces (or cut) to exactly `width` columns.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: width)
        let gap = String(repeating: " ", count: max(0, width - columns(of: cut)))
        return alignRight ? gap + cut : cut + gap
    }

    /// East Asian Wide and Fullwidth ranges (UAX #11), the blocks that occur in practice.
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
