import DRGKit
import Foundation
import Testing
import TerminalUI
@testable import ReviewApp

/// The what-if panel (issue 15, TUI part): open it on a case with codes, remove and add secondaries, read
/// the DRG the set selects against the model's and the coded DRG, leave without recording anything.
/// The codes run through the real `DRGKitCodeCatalog` (DRGKit's ICD10Search and DRGWhatIf), inline.
@Suite struct WhatIfTests {
    /// Case N-1001 with PDX I50.21 and secondaries I50.23 (MCC the principal excludes), E11.9 (no CC),
    /// N17.9 (CC), 4280 (ICD-9); the model's top DRG is 291.
    func makeDriver(size: Size = Size(width: 80, height: 24), codes: [ShownCode] = CaseCodesViewTests.codes) throws -> (ReviewDriver, FakeSource) {
        let (driver, source, _) = Sample.driver(size: size, codes: codes)
        try driver.press(.claimNext)
        return (driver, source)
    }

    func whatIfPanel(_ driver: ReviewDriver) throws -> WhatIfState {
        guard case .whatIf(let panel) = driver.state.modal else { throw DriverError("the what-if panel is not open") }
        return panel
    }

    @Test func openListsTheSecondariesAndAnswersForTheCodesAsTheyAre() throws {
        let (driver, _) = try makeDriver()
        try driver.press(.whatIf)
        let p = try whatIfPanel(driver)
        #expect(p.principal == "I50.21" && p.drg == "291" && p.modelDRG == "291" && p.codedDRG == nil)
        #expect(p.rows.map(\.code) == ["I50.23", "E11.9", "N17.9"])            // ICD-9 4280 and the procedure are not secondaries here
        #expect(driver.runner.log.suffix(2) == [.evaluateWhatIf(p.question), .searchDiagnoses("")])
        #expect(p.current?.result?.drg.code == "292")                          // N17.9 is a CC; I50.23 is excluded
        #expect(driver.frame.text.contains("Selects DRG 292 HEART FAILURE AND SHOCK WITH CC"))
        #expect(driver.frame.text.contains("vs model's DRG 291 (1.356): weight -0.463 · payment -$2,776"))
    }

    @Test func removingTheCCSelectsTheMemberWithout() throws {
        let (driver, _) = try makeDriver()
        try driver.press(.whatIf)
        try driver.press(.pickerDown); try driver.press(.pickerDown)           // N17.9
        try driver.press(.whatIfToggle)
        let p = try whatIfPanel(driver)
        #expect(p.rows[2].included == false)
        #expect(p.question.secondaries == ["I50.23", "E11.9"])
        #expect(p.current?.result?.drg.code == "293")
        #expect(driver.frame.text.contains("removed · Acute kidney failure"))
        try driver.press(.whatIfToggle)                                         // puts it back
        #expect(try whatIfPanel(driver).current?.result?.drg.code == "292")
    }

    @Test func addingAnMCCFromTheTypoTolerantPickerSelectsTheMemberWithMCC() throws {
        let (driver, _) = try makeDriver()
        try driver.press(.whatIf)
        driver.type("acute respiratry failure hypoxia")                         // a typo, words only
        var p = try whatIfPanel(driver)
        let index = try #require(p.matches.firstIndex { $0.code == "J96.01" })
        #expect(p.matches[index].level == "MCC")
        #expect(p.cursor == p.rows.count)                                       // on the first match
        for _ in 0..<index { try driver.press(.pickerDown) }
        try driver.press(.whatIfToggle)
        p = try whatIfPanel(driver)
        #expect(p.rows.last == WhatIfState.Row(code: "J96.01", title: "Acute respiratory failure with hypoxia", level: "MCC", added: true))
        #expect(p.query.isEmpty && p.matches.isEmpty)
        #expect(p.current?.result?.drg.code == "291")
        #expect(p.current?.result?.because == "MCC because of J96.01 Acute respiratory failure with hypoxia")
        // A code prefix finds it too; Enter on an added row takes it out again.
        driver.type("j96.01")
        #expect(try whatIfPanel(driver).matches.first?.code == "J96.01")
        driver.send(.key(.backspace))
        #expect(try whatIfPanel(driver).query == "j96.0")
        try driver.press(.pickerUp)                                             // from the matches back to the rows
        #expect(try whatIfPanel(driver).cursor == 3)
        try driver.press(.whatIfToggle)
        #expect(try whatIfPanel(driver).rows.map(\.code) == ["I50.23", "E11.9", "N17.9"])
    }

    @Test func escapeLeavesWithoutChangingOrRecordingAnything() throws {
        let (driver, source) = try makeDriver()
        let before = try #require(driver.state.session)
        try driver.press(.whatIf)
        try driver.press(.pickerDown); try driver.press(.pickerDown); try driver.press(.whatIfToggle)
        driver.type("j96.01"); try driver.press(.whatIfToggle)
        try driver.press(.cancel)
        #expect(driver.state.modal == nil)
        #expect(driver.state.session == before)
        #expect(source.log.isEmpty)
        #expect(!driver.runner.log.contains { if case .record = $0 { return true }; return false })
        try driver.press(.whatIf)                                               // opens fresh on the case's codes
        #expect(try whatIfPanel(driver).rows.map(\.code) == ["I50.23", "E11.9", "N17.9"])
        #expect(try whatIfPanel(driver).rows.allSatisfy { $0.included && !$0.added })
    }

    @Test func theCodedDRGIsComparedToo() throws {
        let (driver, _) = try makeDriver()
        try driver.press(.rankDown); try driver.press(.acceptSelected); try driver.press(.toggleReason(0)); try driver.press(.choose)          // coded 292 (an override)
        try driver.press(.whatIf)
        #expect(try whatIfPanel(driver).codedDRG == "292")
        #expect(driver.frame.text.contains("vs coded DRG 292 (0.894): weight +0.000 · payment +$0"))
    }

    @Test func withoutAPrincipalTheKeySaysWhy() throws {
        let (driver, _) = try makeDriver(codes: [])
        try driver.press(.whatIf)
        #expect(driver.state.modal == nil)
        #expect(driver.state.flash?.text == "the case has no FY 2026 ICD-10-CM principal diagnosis")
    }

    @Test func lateAnswersAndMatchesForAnOlderSetAreDropped() throws {
        let (driver, _) = try makeDriver()
        try driver.press(.whatIf)
        var state = driver.state
        let env = driver.loop.environment
        let stale = WhatIfQuestion(principal: "I50.21", secondaries: [], drg: "291")
        _ = ReviewUpdate.update(&state, .message(.whatIfAnswered(WhatIfAnswer(question: stale, result: nil, failure: "old"))), env)
        _ = ReviewUpdate.update(&state, .message(.diagnosesFound(query: "old", [DiagnosisMatch(code: "A00.0", title: "Cholera")])), env)
        guard case .whatIf(let p) = state.modal else { Issue.record("panel closed"); return }
        #expect(p.current?.result?.drg.code == "292")
        #expect(p.matches.isEmpty)
    }

    @Test func aFamilyThatReadsMoreThanCCMCCSaysSo() throws {
        let question = WhatIfQuestion(principal: "A41.9", secondaries: ["J96.01"], drg: "872")
        let answer = DRGKitCodeCatalog().whatIf(question)
        #expect(answer.result?.drg.code == "871")
        var panel = WhatIfState(principal: "A41.9", principalTitle: nil, drg: "872", modelDRG: "872", codedDRG: nil,
                                rows: [WhatIfState.Row(code: "J96.01", title: nil, level: "MCC")])
        panel.answer = answer
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: [], exportDirectory: URL(fileURLWithPath: "/tmp"))
        let lines = WhatIfView.answerLines(panel, env, width: 100).map(\.0)
        #expect(lines.contains("Not CC/MCC alone: this family also depends on mechanical ventilation hours; assumed absent here"))
        #expect(lines.contains("vs model's DRG 872 (1.027): weight +0.879 · payment +$5,276"))
    }

    @Test func framesAt80x24And160x48() throws {
        for size in [Size(width: 80, height: 24), Size(width: 160, height: 48)] {
            let (driver, _) = try makeDriver(size: size)
            try driver.press(.rankDown); try driver.press(.acceptSelected); try driver.press(.toggleReason(0)); try driver.press(.choose)      // coded 292
            try driver.press(.whatIf)
            try driver.press(.pickerDown); try driver.press(.pickerDown); try driver.press(.whatIfToggle)   // N17.9 out
            driver.type("j96.01"); try driver.press(.whatIfToggle)                                      // J96.01 in
            driver.type("hypox")
            Frames.expect(driver.frame, named: "code-whatif-\(size.width)x\(size.height)")
        }
    }

    @Test func survivesDegenerateSizes() throws {
        let (wide, _) = try makeDriver()
        try wide.press(.whatIf)
        let panel = try whatIfPanel(wide)
        for size in [Size(width: 0, height: 0), Size(width: 1, height: 1), Size(width: 12, height: 5)] {
            var buffer = CellBuffer(size: size)
            WhatIfView.draw(panel, wide.state, wide.loop.environment, &buffer)   // the view alone, below the too-small screen
            #expect(buffer.size == size)
            let (driver, _) = try makeDriver(size: size)
            try? driver.press(.whatIf)
            #expect(driver.frame.size == size)
        }
    }
}
