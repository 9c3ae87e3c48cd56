/// Small drawing helpers every screen uses. Each draws inside the rectangle it is given and nothing
/// outside it, so any of them may be handed an empty or 1x1 area.
extension CellBuffer {
    /// A box with a title in its top border; returns the inside. `focused` draws the title as selected.
    @discardableResult
    public mutating func panel(_ rect: Rect, title: String, focused: Bool = false) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let border = CellStyle(.border)
        write("┌" + String(repeating: "─", count: rect.width - 2) + "┐", x: rect.x, y: rect.y, style: border, clip: rect)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            write("│", x: rect.x, y: y, style: border, clip: rect)
            write("│", x: rect.maxX - 1, y: y, style: border, clip: rect)
        }
        write("└" + String(repeating: "─", count: rect.width - 2) + "┘", x: rect.x, y: rect.maxY - 1, style: border, clip: rect)
        if rect.width > 4 {
            let label = TextWidth.truncate(" \(title) ", to: rect.width - 4)
            write(label, x: rect.x + 2, y: rect.y, style: CellStyle(focused ? .selection : .title), clip: rect)
        }
        return rect.inset()
    }

    /// Writes `text` padded to the row's full width (so old content is cleared), cut with "…".
    public mutating func line(_ text: String, in row: Rect, style: CellStyle = .plain, alignRight: Bool = false) {
        guard !row.isEmpty else { return }
        write(TextWidth.pad(text, to: row.width, alignRight: alignRight), x: row.x, y: row.y, style: style, clip: row)
    }

    /// A horizontal bar of `fraction` (0...1) over `width` columns in eighths: "█████▍   ".
    public mutating func bar(_ fraction: Double, x: Int, y: Int, width: Int, clip: Rect? = nil) {
        guard width > 0 else { return }
        let text = CellBuffer.barText(fraction, width: width)
        let filled = text.filter { $0 != " " }.count
        let head = String(text.prefix(filled)), tail = String(text.dropFirst(filled))
        let end = write(head, x: x, y: y, style: CellStyle(.bar), clip: clip)
        write(String(repeating: "·", count: tail.count), x: end, y: y, style: CellStyle(.barEmpty), clip: clip)
    }

    /// The characters of a bar of `fraction` over `width` cells, in eighths of a cell.
    public static func barText(_ fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let eighths = Int((f * Double(width * 8)).rounded())
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var s = String(repeating: "█", count: eighths / 8)
        if eighths % 8 > 0 { s += partials[eighths % 8] }
        return s + String(repeating: " ", count: max(0, width - s.count))
    }

    /// A one-row histogram of `counts` with block heights ▁…█ (empty bins are "·").
    public static func sparkline(_ counts: [Int]) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        let top = counts.max() ?? 0
        return String(counts.map { c -> Character in
            guard c > 0, top > 0 else { return "·" }
            return blocks[min(7, max(0, Int((Double(c) / Double(top) * 7).rounded())))]
        })
    }

    /// The footer: "key label" pairs, disabled ones dimmed, as many as fit.
    public mutating func footer(_ items: [FooterItem], in row: Rect) {
        guard !row.isEmpty else { return }
        fill(row, style: CellStyle(.footer))
        var x = row.x
        for item in items {
            let need = TextWidth.columns(of: item.keys) + TextWidth.columns(of: item.label) + 3
            if x + need > row.maxX { break }
            x = write(" \(item.keys) ", x: x, y: row.y, style: CellStyle(item.enabled ? .footerKey : .disabled), clip: row)
            x = write(item.label, x: x, y: row.y, style: CellStyle(item.enabled ? .footer : .disabled), clip: row)
        }
    }

    /// A message centred in `rect` for a terminal smaller than the layout needs.
    public mutating func tooSmall(_ rect: Rect, need: Size) {
        fill(rect)
        let lines = ["Terminal too small", "\(rect.width)x\(rect.height), need \(need.width)x\(need.height)", "resize, or q to quit"]
        let top = rect.y + max(0, (rect.height - lines.count) / 2)
        for (i, text) in lines.enumerated() where top + i < rect.maxY {
            let cut = TextWidth.truncate(text, to: rect.width)
            let x = rect.x + max(0, (rect.width - TextWidth.columns(of: cut)) / 2)
            write(cut, x: x, y: top + i, style: CellStyle(i == 0 ? .warning : .text), clip: rect)
        }
    }
}
