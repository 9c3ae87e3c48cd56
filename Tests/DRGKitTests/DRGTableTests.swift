import Foundation
import Testing
@testable import DRGKit

@Suite struct DRGTableV34Tests {
    let table = DRGTable.table(for: .v34)

    @Test func hasDRGLlamaShape() {
        #expect(table.entries.count == 757)
        #expect(table.bases.count == 340)
        #expect(table.entries.filter { $0.singleLabelIndex != nil }.count == 738)
    }

    @Test func everyBaseIndexAndClassEqualsTheDissectionCSV() throws {
        let rows = try ReferenceCSV.rows("drg_34_dissection.csv")
        #expect(rows.count == 757)
        for row in rows {
            let code = ReferenceCSV.padded(row[0])
            let entry = try #require(table.entry(code), "DRG \(code) missing")
            #expect(entry.ccMccClass.rawValue == Int(row[2]), "DRG \(code) class")
            #expect(entry.baseIndex == Int(row[4].trimmingCharacters(in: .whitespacesAndNewlines)), "DRG \(code) base index")
            #expect(entry.baseDRG == row[3].trimmingCharacters(in: .whitespaces), "DRG \(code) base name")
        }
    }

    @Test func everySingleLabelIndexEqualsID2Label() throws {
        let rows = try ReferenceCSV.rows("id2label.csv")
        #expect(rows.count == 738)
        for row in rows {
            #expect(table.entry(row[0])?.singleLabelIndex == Int(row[1]), "DRG \(row[0])")
        }
    }

    @Test func dissectionRulesReproduceTheCSVRowForRow() throws {
        let titles = try ReferenceCSV.titles().map { (code: ReferenceCSV.padded($0[0]), title: $0[3]) }
        let derived = Dissection.dissect(titles)
        let reference = try ReferenceCSV.rows("drg_34_dissection.csv")
        #expect(derived.count == reference.count)
        for (row, ref) in zip(derived, reference) {
            #expect(row.code == ReferenceCSV.padded(ref[0]))
            #expect(row.ccMcc.rawValue == Int(ref[2]), "DRG \(row.code) class")
            #expect(row.baseName == ref[3].trimmingCharacters(in: .whitespaces), "DRG \(row.code) base")
            #expect(row.baseIndex == Int(ref[4].trimmingCharacters(in: .whitespacesAndNewlines)), "DRG \(row.code) index")
        }
    }

    /// The dissection csv gives 154/43/66/77; the paper's text says 154/44/65/77 (docs/DRGKIT.md).
    @Test func familyCountsOfTheDissection() {
        let counts = table.familyCounts
        #expect(counts[.threeWay] == 154)
        #expect(counts[.ccMccVersusNone] == 43)
        #expect(counts[.mccVersusRest] == 66)
        #expect(counts[.noSplit] == 77)
        #expect(counts[.irregular] == nil)
    }

    @Test func supplementaryNote1Families() throws {
        #expect(table.entry("11")?.family == .threeWay)
        #expect(table.entry("012")?.siblings == ["011", "012", "013"])
        #expect(table.entry("052")?.family == .ccMccVersusNone)
        #expect(table.entry("052")?.ccMccLabel == "with CC/MCC")
        #expect(table.entry("056")?.family == .mccVersusRest)
        #expect(table.entry("057")?.ccMccClass == .withoutMCC)
        let tia = try #require(table.entry("069"))
        #expect(tia.family == .noSplit && tia.ccMccClass == .notApplicable && tia.siblings == ["069"])
        #expect(tia.weight == nil && tia.type == "MED" && tia.mdc == "01")
    }

    @Test func codesAreNormalised() {
        #expect(table.entry("1")?.code == "001")
        #expect(table.entry("DRG 291")?.code == "291")
        #expect(table.entry("2911") == nil)
        #expect(table.entry("abc") == nil)
        #expect(table.entry("") == nil)
        #expect(table.entry("015") == nil)  // retired before v34
    }
}

@Suite struct DRGTableV43Tests {
    let table = DRGTable.table(for: .v43)

    @Test func weightsOfTheDoneCriteria() throws {
        #expect(table.entry("291")?.weight == 1.2838)
        #expect(table.entry("001")?.weight == 28.0239)
        let sepsis = try #require(table.entry("870"))
        #expect(sepsis.gmlos == 12.7 && sepsis.amlos == 15.2 && sepsis.mdc == "18" && sepsis.type == "MED")
        #expect(sepsis.postAcute == true && sepsis.specialPay == false)
        #expect(table.entry("999")?.weight == nil)
    }

    @Test func isFY2026TableFive() {
        #expect(table.entries.count == 772)
        #expect(table.entries.allSatisfy { $0.type == "MED" || $0.type == "SURG" || ["998", "999"].contains($0.code) })
    }

    @Test func dissectsIntoFamilies() throws {
        let hf = try #require(table.entry("292"))
        #expect(hf.baseDRG == "HEART FAILURE AND SHOCK" && hf.ccMccClass == .withCC && hf.family == .threeWay)
        #expect(hf.siblings == ["291", "292", "293"])
        #expect(table.entry("837")?.siblings == ["837", "838", "839"])
        let counts = table.familyCounts
        #expect(counts[.irregular] == nil)
        #expect(counts.values.reduce(0, +) == table.bases.count)
    }
}
