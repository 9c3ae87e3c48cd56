import Foundation
import Testing
@testable import DRGInference

@Suite struct CAMLLabelRulesTests {
    @Test func msDRGRulesLeaveOutMDC15AndPostCareDRGs() throws {
        let rules = try CAMLLabelRules.load(url: CAMLFixtures.model("ms-k5").appendingPathComponent("rules/MSDRG_RULE13.csv"))
        #expect(rules.system == .msDRG)
        let codes = rules.labels.map(\.drgCode)
        #expect(codes == codes.sorted())
        for left in [789, 790, 795, 945, 946, 998, 999] { #expect(!codes.contains(left)) }
        #expect(rules.labels.count == 21)
        #expect(rules.labels.first == CAMLLabelRules.Label(drgCode: 1, code: "001", description: "HEART TRANSPLANT OR IMPLANT OF HEART ASSIST SYSTEM W MCC",
                                                           mdc: "PRE", weight: 26.0295))
    }

    @Test func aprDRGRulesAreBaseTimesSeverity() throws {
        let rules = try CAMLLabelRules.load(url: CAMLFixtures.model("apr").appendingPathComponent("rules/APRDRG_RULE13.csv"))
        #expect(rules.system == .aprDRG)
        #expect(rules.labels.allSatisfy { $0.aprBase != 860 && $0.aprBase != 863 && $0.mdc != "15" })
        let heartFailure = rules.labels.filter { $0.aprBase == 194 }
        #expect(heartFailure.map(\.code) == ["194-1", "194-2", "194-3", "194-4"])
        #expect(heartFailure.map(\.drgCode) == [1941, 1942, 1943, 1944])
        #expect(rules.labels.count == 20)
        #expect(rules.labels.allSatisfy { $0.code.range(of: #"^[0-9]{3}-[1-4]$"#, options: .regularExpression) != nil })
    }

    /// The rules files store DRG_CODE as an integer; the codes are shown with three digits everywhere.
    @Test func msDRGCodesHaveThreeDigits() throws {
        let rules = try CAMLLabelRules.load(url: CAMLFixtures.model("ms-k4").appendingPathComponent("rules/MSDRG_RULE13.csv"))
        #expect(rules.labels.allSatisfy { $0.code.count == 3 && Int($0.code) == $0.drgCode })
        #expect(rules.labels.contains { $0.drgCode < 100 })
        #expect(CAMLLabelRules.threeDigits(69) == "069" && CAMLLabelRules.threeDigits(5) == "005" && CAMLLabelRules.threeDigits(291) == "291")
    }

    @Test func aprPredictionsAreShownAsAPRDRGsWithSeverities() throws {
        let caml = try CAMLClassifier.load(directory: CAMLFixtures.model("apr"))
        let prediction = caml.rank(logits: [Float](repeating: 0, count: caml.rules.labels.count))
        #expect(prediction.ranked.allSatisfy { $0.drg.contains("-") && ($0.base?.hasPrefix("APR-DRG ") ?? false) && ($0.ccMcc?.hasPrefix("severity ") ?? false) })
        #expect(prediction.ccMcc.count == 4)
        #expect(abs(prediction.baseDRGs.map(\.probability).reduce(0, +) - 1) < 1e-9)
    }

    @Test func quotedFieldsAndLastWeightWins() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("MSDRG_RULE99-\(UUID().uuidString).csv")
        try "MS-DRG,DRG_CODE,MDC,TYPE,DESCRIPTION,WEIGHT\n3,3,PRE,SURG,\"ECMO, \"\"TRACH\"\"\",17.7\n3,3,PRE,SURG,x,18.0\n999,999,,MED,UNGROUPABLE,0\n"
            .write(to: url, atomically: true, encoding: .utf8)
        let rules = try CAMLLabelRules.load(url: url)
        #expect(rules.labels.map(\.code) == ["003"])
        #expect(rules.labels.first?.weight == 18.0)
        #expect(CAMLLabelRules.fields(of: "3,3,PRE,SURG,\"ECMO, \"\"TRACH\"\"\",17.7") == ["3", "3", "PRE", "SURG", "ECMO, \"TRACH\"", "17.7"])
        #expect(CAMLLabelRules.fields(of: "3,\"open") == nil)
    }

    /// The repository's own rules and pickles (not committed: no license): set EARLYDRG_FILES to a folder
    /// holding its rules/ and, as ms_/apr_hyperparam.pk and ms_token2id.dict, its shipped pickles.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["EARLYDRG_FILES"] != nil))
    func repositoryFiles() throws {
        let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["EARLYDRG_FILES"] ?? "")
        for year in ["12", "13", "14"] {
            #expect(try CAMLLabelRules.load(url: folder.appendingPathComponent("rules/MSDRG_RULE\(year).csv")).labels.count == 738)
        }
        #expect(try CAMLLabelRules.load(url: folder.appendingPathComponent("rules/APRDRG_RULE13.csv")).labels.count == 1136)
        let ms = try CAMLHyperparameters.load(url: folder.appendingPathComponent("ms_hyperparam.pk"))
        #expect(ms.labelCount == 738 && ms.maxSequenceLength == 2000 && ms.kernelSize == 5 && ms.filterMaps == 256 && ms.ruleFileName == "MSDRG_RULE13.csv")
        #expect(try CAMLHyperparameters.load(url: folder.appendingPathComponent("apr_hyperparam.pk")).labelCount == 1136)
        let vocabulary = try CAMLVocabulary.load(url: folder.appendingPathComponent("ms_token2id.dict"))
        #expect(vocabulary.count == 82198 && vocabulary.unknownID == 82197)
    }
}
