import DRGKit
import Foundation
import Testing
import TerminalUI
@testable import ReviewApp

/// Whole frames of every view at 80x24 and 160x48, plus the degenerate sizes.
@Suite struct RenderTests {
    func openCase(size: Size) throws -> ReviewDriver {
        let (driver, _, _) = Sample.driver(size: size)
        try driver.press(.claimNext)
        return driver
    }

    @Test func queueAt80x24() {
        let (driver, _, _) = Sample.driver()
        Frames.expect(driver.frame, named: "code-queue-80x24")
    }

    @Test func caseAt80x24() throws {
        let driver = try openCase(size: Size(width: 80, height: 24))
        Frames.expect(driver.frame, named: "code-case-80x24")
    }

    @Test func caseAt160x48() throws {
        let driver = try openCase(size: Size(width: 160, height: 48))
        Frames.expect(driver.frame, named: "code-case-160x48")
    }

    /// Issue 16's layouts: the middle size and the wide screen with no case open.
    @Test func caseAt120x40() throws {
        let driver = try openCase(size: Size(width: 120, height: 40))
        Frames.expect(driver.frame, named: "code-case-120x40")
    }

    @Test func queueAt120x40And160x48() {
        for size in [Size(width: 120, height: 40), Size(width: 160, height: 48)] {
            let (driver, _, _) = Sample.driver(size: size, scored: [1, 2, 3])
            Frames.expect(driver.frame, named: "code-queue-\(size.width)x\(size.height)")
        }
    }

    @Test func truncatedNoteAndPickerBesideTheNote() throws {
        var cases = Sample.cases()
        cases[0].prediction?.readUpTo = 150
        cases[0].prediction?.truncated = true
        cases[0].prediction?.tokenCount = 512
        let clock = FixedClock()
        let source = FakeSource(cases: cases, clock: clock)
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: [], exportDirectory: URL(fileURLWithPath: "/tmp"))
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            let driver = ReviewDriver(state: AppState(user: "alice", size: size, now: clock.now(), modelName: "fake"),
                                      environment: env, source: FakeSource(cases: cases, clock: clock), scorer: nil, clock: clock)
            driver.start()
            try driver.press(.claimNext)
            Frames.expect(driver.frame, named: "code-truncated-\(size.width)x\(size.height)")
            try driver.press(.override)
            driver.type("29")
            Frames.expect(driver.frame, named: "code-picker-\(size.width)x\(size.height)-beside")
        }
        _ = source
    }

    @Test func unscoredCaseIsStillCodable() throws {
        let (driver, _, _) = Sample.driver(scored: [])
        try driver.press(.claimNext)
        Frames.expect(driver.frame, named: "code-case-unscored-80x24")
        #expect(driver.frame.text.contains("the case is codable now"))
    }

    @Test func pickerAndHelpAt80x24() throws {
        let driver = try openCase(size: Size(width: 80, height: 24))
        try driver.press(.override)
        driver.type("pneumonia")
        Frames.expect(driver.frame, named: "code-picker-80x24")
        try driver.press(.cancel)
        try driver.press(.help)
        Frames.expect(driver.frame, named: "code-help-80x24")
    }

    @Test func auditAndTrainAt80x24And160x48() throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 160, height: 48)] {
            let (coder, source, clock) = Sample.driver(size: size, scored: [1, 2, 3])
            try coder.press(.claimNext); try coder.press(.acceptTop)
            try coder.press(.claimNext); try coder.press(.override); coder.type("292"); try coder.press(.choose)
            try coder.press(.toggleReason(1)); try coder.press(.choose)
            try coder.press(.claimNext); try coder.press(.flag); try coder.press(.toggleReason(4)); try coder.press(.choose)
            let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: source.exportFormats, exportDirectory: URL(fileURLWithPath: "/tmp/exports"))
            for view in [ViewMode.audit, .train] {
                let driver = ReviewDriver(state: AppState(view: view, user: "audrey", size: size, now: clock.now(), modelName: nil),
                                          environment: env, source: source, scorer: nil, clock: clock)
                driver.start()
                Frames.expect(driver.frame, named: "\(view.rawValue)-\(size.width)x\(size.height)")
            }
        }
    }

    @Test func tooSmallAndDegenerateSizes() {
        for size in [Size(width: 79, height: 24), Size(width: 0, height: 0), Size(width: 1, height: 1), Size(width: 30, height: 8)] {
            let (driver, _, _) = Sample.driver(size: size)
            #expect(driver.frame.size == size)
            if size.width >= 30 { #expect(driver.frame.text.contains("Terminal too small")) }
        }
        let (driver, _, _) = Sample.driver(size: Size(width: 40, height: 10))
        Frames.expect(driver.frame, named: "too-small-40x10")
    }

    @Test func wideCharactersAndCombiningMarksInTheNote() throws {
        let clock = FixedClock()
        var cases = Sample.cases()
        cases[0].sectionText = "患者は心不全で入院 — café au lait (cafe\u{301}) 😀 then improved."
        cases[0].noteText = cases[0].sectionText
        cases[0].prediction?.prediction.evidence = []
        let source = FakeSource(cases: cases, clock: clock)
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: [], exportDirectory: URL(fileURLWithPath: "/tmp"))
        let driver = ReviewDriver(state: AppState(user: "alice", size: Size(width: 80, height: 24), now: clock.now(), modelName: "fake"),
                                  environment: env, source: source, scorer: nil, clock: clock)
        driver.start()
        try driver.press(.claimNext)
        try driver.press(.zoomNote)
        let frame = driver.frame
        let row = try #require(frame.lines.firstIndex { $0.contains("患者") })
        // Each wide character takes two cells; the text after them starts in the right column.
        let x = try #require((0..<80).first { frame[$0, row].grapheme == "患" })
        #expect(frame[x + 1, row].isContinuation)
        #expect(frame[x + 18, row].grapheme == " ")        // 9 wide characters = 18 columns
        #expect(frame.lines[row].contains("cafe\u{301}"))
        Frames.expect(frame, named: "code-note-wide-80x24")
    }

    @Test func evidenceIsMarkedWithoutColour() throws {
        let driver = try openCase(size: Size(width: 80, height: 24))
        let frame = driver.frame
        // The gutter letter tells base (B) from CC/MCC (C) evidence on a monochrome screen.
        #expect(frame.lines.contains { $0.contains("│B ") || $0.contains("│* ") })
        #expect(frame.lines.contains { $0.contains("│C ") || $0.contains("│* ") })
        let row = try #require(frame.lines.firstIndex { $0.contains("acute") })
        let x = try #require((0..<79).first { frame[$0, row].grapheme == "a" && frame[$0 + 1, row].grapheme == "c" && frame[$0 + 2, row].grapheme == "u" })
        #expect(frame[x, row].style.role == .evidenceBase)
        let theme = Theme.builtinDefault
        #expect(theme.look(frame[x, row].style, depth: .monochrome).attributes.contains(.underline))
    }
}
