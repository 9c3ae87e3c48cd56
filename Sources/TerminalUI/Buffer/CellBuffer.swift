/// One cell of the screen: a grapheme cluster and its style. A wide character occupies its cell and
/// a *continuation* cell to its right (`grapheme == ""`), which backends skip when drawing.
public struct Cell: Hashable, Sendable {
    public var grapheme: String
    public var style: CellStyle
    public init(_ grapheme: String, _ style: CellStyle = .plain) { self.grapheme = grapheme; self.style = style }
    public static let blank = Cell(" ")
    public var isContinuation: Bool { grapheme.isEmpty }
}

/// A change between two frames: the backend redraws exactly these cells.
public struct CellChange: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell
}

/// A frame: a width×height grid of cells that views render into (ratatui's `Buffer`).
///
/// ```swift
/// var buffer = CellBuffer(size: Size(width: 10, height: 1))
/// buffer.write("日本", x: 0, y: 0)       // 4 columns: 日, continuation, 本, continuation
/// buffer.lines == ["日本      "]
/// ```
/// Contract: writing never reaches outside the buffer or the clip rectangle; a wide character that
/// does not fit is replaced by a space; overwriting half of a wide character blanks the other half;
/// a zero-width character (lone combining mark) joins the cell before it. Value type, `Sendable`.
/// It deliberately knows nothing of colours (see `Theme`) or of the terminal (see `Terminal`).
public struct CellBuffer: Hashable, Sendable {
    public private(set) var size: Size
    private var cells: [Cell]

    public init(size: Size) {
        self.size = size
        cells = Array(repeating: .blank, count: size.width * size.height)
    }

    /// A buffer whose rows are the given strings (padded with spaces to the widest), for tests.
    public init(lines: [String], width: Int? = nil) {
        let w = width ?? lines.map { TextWidth.columns(of: $0) }.max() ?? 0
        self.init(size: Size(width: w, height: lines.count))
        for (y, line) in lines.enumerated() { write(line, x: 0, y: y) }
    }

    public var area: Rect { Rect(size: size) }

    public subscript(x: Int, y: Int) -> Cell {
        get { inBounds(x, y) ? cells[y * size.width + x] : .blank }
        set { if inBounds(x, y) { cells[y * size.width + x] = newValue } }
    }

    private func inBounds(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < size.width && y < size.height }

    /// Every row as text, continuation cells left out (so a wide character shows once).
    public var lines: [String] {
        (0..<size.height).map { y in
            var s = ""
            for x in 0..<size.width { s += self[x, y].grapheme }
            return s
        }
    }

    /// The rows as one string, for readable test failures.
    public var text: String { lines.joined(separator: "\n") }

    /// Fills `rect` with spaces of `style`.
    public mutating func fill(_ rect: Rect, style: CellStyle = .plain) {
        let r = clipped(rect)
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { self[x, y] = Cell(" ", style) } }
    }

    /// Writes `text` on row `y` from column `x`, clipped to `clip` (default: the whole buffer).
    /// Newlines and tabs become spaces; other control characters are dropped.
    /// Returns the column after the last one written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: CellStyle = .plain, clip: Rect? = nil) -> Int {
        let bounds = clipped(clip ?? area)
        guard y >= bounds.y, y < bounds.maxY else { return x }
        var col = x
        for ch in text {
            var character = ch
            if ch == "\n" || ch == "\t" || ch == "\r\n" { character = " " }
            let w = TextWidth.columns(of: character)
            if w == 0 {
                if character.unicodeScalars.first.map({ $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) == true { continue }
                attachZeroWidth(character, beforeColumn: col, y: y, bounds: bounds)
                continue
            }
            if col + w > bounds.maxX {
                if col < bounds.maxX && col >= bounds.x { put(Cell(" ", style), x: col, y: y) }
                return bounds.maxX
            }
            if col >= bounds.x {
                put(Cell(String(character), style), x: col, y: y)
                if w == 2 { put(Cell("", style), x: col + 1, y: y) }
            }
            col += w
        }
        return col
    }

    /// The cells that differ from `previous` (every cell when the sizes differ).
    public func changes(since previous: CellBuffer?) -> [CellChange] {
        var out: [CellChange] = []
        let full = previous == nil || previous?.size != size
        for y in 0..<size.height {
            for x in 0..<size.width {
                let cell = self[x, y]
                if full || previous?[x, y] != cell { out.append(CellChange(x: x, y: y, cell: cell)) }
            }
        }
        return out
    }

    // MARK: - Private

    private func clipped(_ rect: Rect) -> Rect {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(size.width, rect.maxX), y1 = min(size.height, rect.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Puts one cell, first blanking the other half of any wide character it cuts through.
    private mutating func put(_ cell: Cell, x: Int, y: Int) {
        guard inBounds(x, y) else { return }
        let old = self[x, y]
        if old.isContinuation && x > 0 && !self[x - 1, y].isContinuation {
            self[x - 1, y] = Cell(" ", self[x - 1, y].style)
        }
        if !old.isContinuation && x + 1 < size.width && self[x + 1, y].isContinuation && !cell.isContinuation {
            self[x + 1, y] = Cell(" ", self[x + 1, y].style)
        }
        self[x, y] = cell
    }

    private mutating func attachZeroWidth(_ mark: Character, beforeColumn col: Int, y: Int, bounds: Rect) {
        var target = col - 1
        while target >= bounds.x && self[target, y].isContinuation { target -= 1 }
        guard target >= bounds.x, target < bounds.maxX, inBounds(target, y) else { return }
        self[target, y].grapheme.append(mark)
    }
}
