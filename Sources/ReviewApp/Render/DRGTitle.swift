import TerminalUI

/// A DRG title fitted to a column without losing the words that tell it from its siblings.
///
/// MS-DRG titles of one family differ only in their CC/MCC part, usually at the end ("… WITH MCC" /
/// "… WITH CC" / "… WITHOUT CC/MCC"), sometimes in the middle (469/470: "… WITH MCC OR TOTAL ANKLE
/// REPLACEMENT"). Cutting the end loses exactly that part ("…WITH…" / "…WITHO…"). So a title that does
/// not fit is first abbreviated the way coders write it (WITH → W, WITHOUT → W/O, AND → &), and
/// if it still does not fit, the words it shares with its siblings are cut, never the words that differ:
///
/// ```swift
/// DRGTitle.fit("SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITH MCC",
///              siblings: ["SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITHOUT MCC"], width: 28)
/// // "SEPTICEMIA OR SEVERE… W MCC"
/// ```
///
/// Without siblings the part from the last W / W/O on is kept. Pure; O(words × siblings).
enum DRGTitle {
    /// Coders' abbreviations, whole words only.
    static let abbreviations: [String: String] = [
        "WITH": "W", "WITHOUT": "W/O", "AND": "&", "DIAGNOSIS": "DX", "DIAGNOSES": "DX", "PROCEDURES": "PROC",
        "PROCEDURE": "PROC", "MISCELLANEOUS": "MISC", "DISORDERS": "DIS", "EXCEPT": "EXC",
    ]

    static func abbreviate(_ title: String) -> String {
        title.split(separator: " ").map { abbreviations[String($0)] ?? String($0) }.joined(separator: " ")
    }

    static func fit(_ title: String, siblings: [String] = [], width: Int) -> String {
        guard width > 0 else { return "" }
        if TextWidth.columns(of: title) <= width { return title }
        let short = abbreviate(title)
        if TextWidth.columns(of: short) <= width { return short }
        let words = short.split(separator: " ").map(String.init)
        let others = siblings.map { abbreviate($0).split(separator: " ").map(String.init) }.filter { $0 != words }
        var (prefix, suffix) = (words.count, 0)
        if others.isEmpty {
            // The CC/MCC qualifier: from the last W or W/O on.
            prefix = words.lastIndex { $0 == "W" || $0 == "W/O" } ?? words.count
        } else {
            prefix = others.map { commonPrefix(words, $0) }.min() ?? 0
            suffix = others.map { commonPrefix(words.reversed(), $0.reversed()) }.min() ?? 0
            suffix = min(suffix, words.count - prefix)
        }
        let head = words[..<prefix].joined(separator: " ")
        let differing = words[prefix...].joined(separator: " ")
        guard !differing.isEmpty else { return TextWidth.truncate(short, to: width) }
        let room = width - TextWidth.columns(of: differing) - 1
        if head.isEmpty { return TextWidth.truncate(differing, to: width) }
        if room >= 2 { return cut(head, room) + " " + differing }
        // Too long with the words shared after the difference: cut those instead ("… W MCC…").
        let core = words[prefix..<(words.count - suffix)].joined(separator: " ")
        let coreRoom = width - TextWidth.columns(of: core) - 2
        if suffix > 0 && coreRoom >= 2 { return cut(head, coreRoom) + " " + core + "…" }
        return TextWidth.truncate("…" + differing, to: width)
    }

    /// `fit` against the DRG's siblings in `catalog` (its family).
    static func fit(_ title: String, code: String, catalog: DRGCatalog, width: Int) -> String {
        if TextWidth.columns(of: title) <= width { return title }
        return fit(title, siblings: catalog.siblings(of: code).filter { $0.code != code }.map(\.description), width: width)
    }

    /// `text` cut to `width` with "…", never leaving a space before the "…".
    static func cut(_ text: String, _ width: Int) -> String {
        let out = TextWidth.truncate(text, to: width)
        return out.hasSuffix(" …") ? String(out.dropLast(2)) + "…" : out
    }

    static func commonPrefix<C: Collection>(_ a: C, _ b: C) -> Int where C.Element: Equatable {
        zip(a, b).prefix { $0 == $1 }.count
    }
}
