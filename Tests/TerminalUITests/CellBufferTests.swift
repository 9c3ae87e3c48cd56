import Testing
@testable import TerminalUI

@Suite struct CellBufferTests {
    @Test func writesPlainTextAndPads() {
        var b = CellBuffer(size: Size(width: 6, height: 2))
        b.write("abc", x: 1, y: 0)
        #expect(b.lines == [" abc  ", "      "])
    }

    @Test func wideCharacterTakesTwoColumns() {
        var b = CellBuffer(size: Size(width: 6, height: 1))
        let end = b.write("日本", x: 0, y: 0)
        #expect(end == 4)
        #expect(b[0, 0].grapheme == "日")
        #expect(b[1, 0].isContinuation)
        #expect(b[2, 0].grapheme == "本")
        #expect(b.lines == ["日本  "])
    }

    @Test func wideCharacterThatDoesNotFitBecomesSpace() {
        var b = CellBuffer(size: Size(width: 3, height: 1))
        b.write("ab日", x: 0, y: 0)
        #expect(b.lines == ["ab "])
    }

    @Test func combiningMarkStaysWithItsBase() {
        var b = CellBuffer(size: Size(width: 4, height: 1))
        b.write("e\u{301}x", x: 0, y: 0)          // é as e + COMBINING ACUTE, then x
        #expect(b[0, 0].grapheme == "e\u{301}")
        #expect(b[1, 0].grapheme == "x")
        b.write("\u{301}", x: 2, y: 0)            // a lone mark joins the cell before it
        #expect(b[1, 0].grapheme == "x\u{301}")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var b = CellBuffer(size: Size(width: 4, height: 1))
        b.write("日本", x: 0, y: 0)
        b.write("x", x: 1, y: 0)                  // the continuation of 日
        #expect(b.lines == [" x本"])
        b.write("y", x: 2, y: 0)                  // the lead of 本
        #expect(b.lines == [" xy "])
    }

    @Test func clipsToRectangle() {
        var b = CellBuffer(size: Size(width: 8, height: 1))
        b.write("abcdefgh", x: 0, y: 0, clip: Rect(x: 2, y: 0, width: 3, height: 1))
        #expect(b.lines == ["  cde   "])
    }

    @Test func writingOutsideNeverTraps() {
        var empty = CellBuffer(size: .zero)
        empty.write("abc", x: 0, y: 0)
        empty.fill(Rect(x: -3, y: -3, width: 10, height: 10))
        #expect(empty.lines == [])
        var one = CellBuffer(size: Size(width: 1, height: 1))
        one.write("日", x: 0, y: 0)
        one.write("z", x: 5, y: 5)
        #expect(one.lines == [" "])
    }

    @Test func initFromLinesRoundTrips() {
        let b = CellBuffer(lines: ["ab", "日"])
        #expect(b.size == Size(width: 2, height: 2))
        #expect(b.lines == ["ab", "日"])
    }

    @Test func changesListOnlyDifferentCells() {
        let a = CellBuffer(lines: ["abc"])
        var b = a
        b.write("X", x: 1, y: 0)
        #expect(b.changes(since: a) == [CellChange(x: 1, y: 0, cell: Cell("X"))])
        #expect(b.changes(since: nil).count == 3)
        #expect(CellBuffer(lines: ["abcd"]).changes(since: a).count == 4)
    }

    @Test func panelDrawsBorderAndReturnsInside() {
        var b = CellBuffer(size: Size(width: 10, height: 3))
        let inner = b.panel(Rect(x: 0, y: 0, width: 10, height: 3), title: "T")
        #expect(inner == Rect(x: 1, y: 1, width: 8, height: 1))
        #expect(b.lines == ["┌─ T ────┐", "│        │", "└────────┘"])
        var tiny = CellBuffer(size: Size(width: 1, height: 1))
        #expect(tiny.panel(tiny.area, title: "x").isEmpty)
    }

    @Test func barsUseEighths() {
        #expect(CellBuffer.barText(0.5, width: 4) == "██  ")
        #expect(CellBuffer.barText(1.0 / 16.0, width: 2) == "▏ ")
        #expect(CellBuffer.barText(2, width: 3) == "███")
        #expect(CellBuffer.barText(.nan, width: 2) == "  ")
        #expect(CellBuffer.sparkline([0, 1, 7]) == "·▂█")
    }

    @Test func tooSmallMessageFitsAnySize() {
        var b = CellBuffer(size: Size(width: 30, height: 5))
        b.tooSmall(b.area, need: Size(width: 80, height: 24))
        #expect(b.text.contains("Terminal too small"))
        #expect(b.text.contains("30x5, need 80x24"))
        var one = CellBuffer(size: Size(width: 1, height: 1))
        one.tooSmall(one.area, need: Size(width: 80, height: 24))
        #expect(one.lines == ["…"])
    }
}

@Suite struct TextWidthTests {
    @Test(arguments: [("a", 1), ("日", 2), ("한", 2), ("e\u{301}", 1), ("\u{301}", 0), ("😀", 2), ("\u{200B}", 0), ("\u{7}", 0), ("é", 1), ("Ｆ", 2)])
    func columns(_ text: String, _ expected: Int) {
        #expect(TextWidth.columns(of: Character(text)) == expected)
    }

    @Test func truncateAndPadCountColumns() {
        #expect(TextWidth.truncate("日本語です", to: 5) == "日本…")
        #expect(TextWidth.pad("日本", to: 5) == "日本 ")
        #expect(TextWidth.pad("ab", to: 4, alignRight: true) == "  ab")
        #expect(TextWidth.truncate("abc", to: 0) == "")
    }
}

@Suite struct TextWrapTests {
    @Test func wrapsAtWordsAndKeepsOffsets() {
        let lines = TextWrap.wrap("the quick brown fox", width: 10)
        #expect(lines.map(\.text) == ["the quick", "brown fox"])
        #expect(lines.map(\.scalarOffset) == [0, 10])
    }

    @Test func newlinesEndLinesAndLongWordsAreCut() {
        let lines = TextWrap.wrap("ab\nabcdefgh", width: 3)
        #expect(lines.map(\.text) == ["ab", "abc", "def", "gh"])
        #expect(lines.map(\.scalarOffset) == [0, 3, 6, 9])
    }

    @Test func wideCharactersWrapByColumns() {
        let lines = TextWrap.wrap("日本語 テスト", width: 6)
        #expect(lines.map(\.text) == ["日本語", "テスト"])
        #expect(lines[1].scalarOffset == 4)
        #expect(TextWrap.wrap("x", width: 0).isEmpty)
    }
}
