import DRGKit
import Foundation
import Testing
import TerminalUI
@testable import ReviewApp

/// Issue 16, "the coder's screen, second pass": each defect seen, with a test that would have caught it.
@Suite struct SecondPassTests {
    /// A driver over `cases` (the Sample catalog and settings unless given).
    func driver(_ cases: [CaseDetail], size: Size = Size(width: 80, height: 24), view: ViewMode = .code,
                settings: ReviewSettings = ReviewSettings()) -> (ReviewDriver, FakeSource) {
        let clock = FixedClock()
        let source = FakeSource(cases: cases, clock: clock)
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: source.exportFormats,
                                    exportDirectory: URL(fileURLWithPath: "/tmp/exports"), settings: settings)
        let driver = ReviewDriver(state: AppState(view: view, user: "alice", size: size, now: clock.now(), modelName: "fake"),
                                  environment: env, source: source, scorer: nil, clock: clock)
        driver.start()
        return (driver, source)
    }

    /// A long discharge course (the sample's repeated), offsets of the sample's spans still valid.
    static func longCases(count: Int = 6) -> [CaseDetail] {
        var cases = Sample.cases(count: count)
        let more = (1...12).map { "Day \($0): diuresed, weights down, creatinine trending, ambulating with PT." }.joined(separator: " ")
        cases[0].sectionText = Sample.section + " " + more
        cases[0].noteText = cases[0].sectionText
        return cases
    }

    /// The rows of `rect`'s inside (inside its border) that hold any non-blank cell.
    static func filledRows(_ frame: CellBuffer, _ rect: Rect) -> Int {
        let inner = rect.inset()
        return (inner.y..<inner.maxY).filter { y in (inner.x..<inner.maxX).contains { frame[$0, y].grapheme != " " } }.count
    }

    // MARK: - Layout

    @Test func at80x24TheNoteHasTwelveRowsAndTheRankingScrolls() throws {
        let (d, _) = driver(Self.longCases())
        try d.press(.claimNext)
        let layout = ReviewLayout(d.state)
        let note = try #require(layout.notePanel)
        #expect(note.height - 2 >= 12)
        let frame = d.frame
        #expect(frame.lines[note.y].dropFirst().hasPrefix("─ Note"))
        #expect(Self.filledRows(frame, note) >= 12)                     // a long note fills them
        for _ in 0..<7 { try d.press(.rankDown) }
        #expect(d.frame.text.contains("▸ 8 872"))                       // the cursor row stays visible
        #expect(d.frame.text.contains("more"))
    }

    @Test func at160x48NoPanelIsMostlyEmpty() throws {
        let (d, _) = driver(Self.longCases(count: 40), size: Size(width: 160, height: 48))
        // No case open: the queue and summary take the screen; no wide blank band of columns.
        let blankColumns = (0..<160).filter { x in (1..<47).allSatisfy { d.frame[x, $0].grapheme == " " } }
        #expect(blankColumns.count < 8, "blank columns: \(blankColumns.count)")
        try d.press(.claimNext)
        let layout = ReviewLayout(d.state)
        let panels = [layout.queuePanel, layout.rankingPanel, layout.notePanel, layout.breakdownPanel, layout.summaryPanel].compactMap { $0 }
        #expect(panels.count == 5)
        for p in panels {
            let rows = p.height - 2
            #expect(Self.filledRows(d.frame, p) * 2 >= rows, "panel \(p) has \(Self.filledRows(d.frame, p)) of \(rows) rows filled")
        }
        #expect(try #require(layout.notePanel).width >= 70)
    }

    // MARK: - Truncation

    @Test func whereTheModelStoppedReadingIsMarked() throws {
        var cases = Sample.cases()
        let cut = Sample.section.unicodeScalars.count / 2
        cases[0].prediction?.readUpTo = cut
        cases[0].prediction?.truncated = true
        cases[0].prediction?.tokenCount = 512
        let (d, _) = driver(cases)
        try d.press(.claimNext)
        let frame = d.frame
        #expect(frame.text.contains("─ Note · model read to ✂ (512 tokens)"))
        let scissors = try #require(frame.lines.firstIndex { $0.contains("│B✂") || $0.contains("│C✂") || $0.contains("│ ✂") || $0.contains("│*✂") })
        #expect(frame.lines[(scissors + 1)...].contains { $0.contains("┆") })
        #expect(!frame.lines[..<scissors].contains { $0.contains("┆") })
    }

    // MARK: - Note scrolling

    @Test func theNoteStopsAtItsLastLine() throws {
        let (d, _) = driver(Self.longCases())
        try d.press(.claimNext)
        for _ in 0..<30 { try d.press(.noteDown) }
        let note = try #require(ReviewLayout(d.state).notePanel)
        // The last page ends with the note's last line: every row of the panel holds text.
        #expect(d.state.session?.noteScroll == ReviewLayout.noteLineCount(d.state) - ReviewLayout.notePageRows(d.state))
        #expect(d.frame.lines[note.maxY - 2].contains("ambulating with PT."))
        #expect(Self.filledRows(d.frame, note) == note.height - 2)
        #expect(d.frame.text.contains("↑ end of note"))
    }

    // MARK: - Footer, gutter, header

    @Test func textFieldsDoNotOfferPrintableKeys() throws {
        let (d, _) = driver(Sample.cases())
        try d.press(.claimNext)
        try d.press(.override)
        var footer = try #require(d.frame.lines.last)
        #expect(!footer.contains("? Help") && !footer.contains("q Quit"))
        #expect(footer.contains("Ctrl-C Quit"))
        d.type("293"); try d.press(.choose); try d.press(.switchField)
        footer = try #require(d.frame.lines.last)
        #expect(!footer.contains("? Help") && !footer.contains("q Quit"))
    }

    @Test func aBlankGutterCellIsPlain() throws {
        let (d, _) = driver(Sample.cases())
        try d.press(.claimNext)
        let frame = d.frame
        let note = try #require(ReviewLayout(d.state).notePanel).inset()
        let plainLine = try #require((note.y..<note.maxY).first { frame[note.x, $0].grapheme == " " && frame[note.x + 2, $0].grapheme != " " })
        #expect(frame[note.x, plainLine].style.role != .evidenceBase)
        #expect(!Theme.builtinDefault.look(frame[note.x, plainLine].style, depth: .monochrome).attributes.contains(.underline))
    }

    @Test func theQueueHeaderStaysPutWhenTheListEmpties() throws {
        var cases = Sample.cases()
        for i in cases.indices { cases[i].summary.externalID = "synth-43-0000\(i)" }
        let (d, _) = driver(cases)
        let header = d.frame.lines[2]
        try d.press(.startSearch)
        d.type("zzz")
        #expect(d.frame.text.contains("no cases match"))
        #expect(d.frame.lines[2] == header)
    }

    // MARK: - Auditor

    @Test func theAuditorSeesTheWholeCaseIdAndWhichCase() throws {
        var cases = Sample.cases()
        cases[0].summary.externalID = "synth-43-000017-DS-21"
        let (coder, source) = driver(cases)
        try coder.press(.claimNext); try coder.press(.acceptTop)
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: [], exportDirectory: URL(fileURLWithPath: "/tmp"))
        let audit = ReviewDriver(state: AppState(view: .audit, user: "audrey", size: Size(width: 80, height: 24), now: coder.state.now, modelName: nil),
                                 environment: env, source: source, scorer: nil, clock: FixedClock())
        audit.start()
        let text = audit.frame.text
        #expect(text.contains("synth-43-000017-DS-21 accept"))
        #expect(text.contains("synth-43-000017-DS-21 · what the"))
        #expect(text.contains("Note of synth-43-000017-DS-21"))
    }

    // MARK: - Titles, money, whole notes

    @Test func siblingTitlesInTheRankingStayApart() throws {
        let (d, _) = driver(Sample.cases())
        try d.press(.claimNext)
        let rows = d.frame.lines.filter { $0.contains(" 1 291 ") || $0.contains(" 2 292 ") || $0.contains(" 3 293 ") }
        #expect(rows.count == 3)
        #expect(rows.contains { $0.contains("W MCC") || $0.contains("WITH MCC") })
        #expect(rows.contains { $0.contains("W/O CC/MCC") || $0.contains("WITHOUT CC/MCC") })
    }

    @Test func moneySaysWhichBaseRate() throws {
        var settings = ReviewSettings()
        settings.baseRate = 6_000
        let (d, _) = driver(Sample.cases(), settings: settings)
        try d.press(.claimNext)
        #expect(d.frame.text.contains("expected payment $6,864 at $6,000 base rate"))
        #expect(!d.frame.text.contains("E[weight]"))
    }

    @Test func notesWithoutABriefHospitalCourseAreFlagged() throws {
        var cases = Sample.cases()
        cases[0].summary.wholeNote = true
        let (d, _) = driver(cases, size: Size(width: 120, height: 40))
        #expect(d.frame.lines.contains { $0.contains("N-1001") && $0.contains("no BHC") })
        try d.press(.claimNext)
        #expect(d.frame.text.contains("Note (whole: no brief hospital course found)"))
    }

    @Test func thePickerLeavesTheNoteInView() throws {
        let (d, _) = driver(Sample.cases())
        try d.press(.claimNext)
        try d.press(.override)
        d.type("29")
        let text = d.frame.text
        #expect(text.contains("78 year old woman"))                    // the note's first line
        #expect(text.contains("▸291"))
        #expect(text.contains("-$2,776") || text.contains("-$2,777"))   // 292 against the model's 291
    }

    @Test func theBreakdownShowsOnlyTheFamilysClassesAndTheMoney() throws {
        let (d, _) = driver(Sample.cases(), size: Size(width: 120, height: 40))
        try d.press(.claimNext)
        let panel = try #require(ReviewLayout(d.state).breakdownPanel)
        let lines = d.frame.lines[panel.y..<panel.maxY].map { String($0.dropFirst(panel.x).prefix(panel.width)) }
        let classes = try #require(lines.first { $0.contains("CC/MCC MCC") })
        #expect(!classes.contains("no MCC") && !classes.contains("n/a"))     // not classes of a 3-way family
        #expect(lines.contains { $0.contains("▸291") && $0.contains("$0") })
        #expect(lines.contains { $0.contains(" 293") && $0.contains("-$4,340") })
        #expect(lines.contains { $0.contains("evidence: \"acute kidney injury\"") || $0.contains("evidence: \"hyponatremia\"") })
    }

    // MARK: - Queue

    @Test func theQueueSortsAndSearchesNotes() throws {
        var cases = Sample.cases(scored: [1, 2, 3])
        cases[1].prediction?.prediction.ranked[0].probability = 0.2
        cases[1].summary.confidence = 0.2
        cases[2].noteText = "Brief Hospital Course: cellulitis of the left leg."
        let (d, _) = driver(cases)
        try d.press(.cycleSort)                                          // confidence: least sure first
        #expect(d.state.sort == .confidence)
        #expect(d.state.visibleQueue.first?.id == 2)
        try d.press(.startSearch)
        d.type("cellulitis left")
        #expect(d.state.visibleQueue.map(\.id) == [3])
        #expect(d.frame.text.contains("by confidence"))
        try d.press(.choose)                                              // Enter opens the match
        #expect(d.state.session?.id == 3)
    }

    @Test func mineKeepsWhatICodedToday() throws {
        let (d, _) = driver(Sample.cases())
        try d.press(.claimNext); try d.press(.acceptTop)
        try d.press(.closeCase)
        for _ in 0..<2 { try d.press(.cycleFilter) }
        #expect(d.state.statusFilter == .mine)
        #expect(d.state.visibleQueue.map(\.id) == [1])
    }
}
