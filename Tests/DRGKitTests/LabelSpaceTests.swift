import Foundation
import Testing
import TestSupport
@testable import DRGKit

@Suite struct LabelSpaceTests {
    @Test func builtInSpaces() throws {
        let single = try LabelSpace.named("drg-llama-single", modelDirectory: nil)
        #expect(single.logitCount == 738 && single.version == .v34 && single.scheme == .single)
        #expect(single.labels.first == "001" && single.labels.last == "989")
        let two = try LabelSpace.named("drg-llama-two", modelDirectory: nil)
        #expect(two.logitCount == 345 && two.bases.count == 340)
        #expect(LabelSpace.drgLlama(logitCount: 345)?.name == "drg-llama-two")
        #expect(LabelSpace.drgLlama(logitCount: 7) == nil)
    }

    @Test func singleLabelRanksAndMarginals() throws {
        let space = try LabelSpace(singleLabels: ["291", "292", "293", "069"], version: .v43, name: "t")
        let answer = space.predict(logits: [2, 1, 0, 1])
        #expect(answer.ranked.map(\.drg) == ["291", "069", "292", "293"])
        let p = softmax([2.0, 1, 0, 1])
        #expect(abs(answer.ranked[0].probability - p[0]) < 1e-12)
        #expect(answer.ranked[0].weight == 1.2838 && answer.ranked[0].ccMcc == "with MCC")
        #expect(answer.baseDRGs.first?.label == "HEART FAILURE AND SHOCK")
        #expect(abs((answer.baseDRGs.first?.probability ?? 0) - (p[0] + p[1] + p[2])) < 1e-12)
        #expect(answer.ccMcc.count == 5)
        #expect(abs(answer.ccMcc.map(\.probability).reduce(0, +) - 1) < 1e-12)
        #expect(answer.ccMcc.first(where: { $0.label == "not applicable" })?.probability == p[3])
    }

    @Test func labelFileRoundTripsAndRejectsBadInput() throws {
        let temp = try TemporaryDirectory(prefix: "drgkit"); defer { temp.cleanUp() }
        let dir = temp.url
        let file = dir.appendingPathComponent("drg_labels.json")
        try Data(#"{"scheme": "single", "version": "43", "labels": ["291", "292", "1"]}"#.utf8).write(to: file)
        let space = try LabelSpace.named(nil, modelDirectory: dir)
        #expect(space.labels == ["291", "292", "001"] && space.version == .v43)

        let two = LabelSpace.drgLlamaTwo
        let reread = try LabelSpace(file: two.file, name: "copy")
        #expect(reread == two && reread.baseIndices == two.baseIndices)
        #expect(two.description == "drg-llama-two: two-label, MS-DRG v34, 345 logits")

        try Data(#"{"scheme": "single", "version": "43", "labels": ["291", "015"]}"#.utf8).write(to: file)
        #expect(throws: DRGKitError.self) { try LabelSpace.named(file.path, modelDirectory: nil) }
        try Data(#"{"scheme": "two", "version": "34", "bases": ["NO SUCH BASE"]}"#.utf8).write(to: file)
        #expect(throws: DRGKitError.self) { try LabelSpace.load(file: file) }
        try Data("not json".utf8).write(to: file)
        #expect(throws: DRGKitError.self) { try LabelSpace.load(file: file) }
        #expect(throws: DRGKitError.self) { try LabelSpace.named(nil, modelDirectory: dir.appendingPathComponent("none")) }
    }

    @Test func wrongLengthLogitsDoNotCrash() {
        let answer = LabelSpace.drgLlamaSingle.predict(logits: [5])
        #expect(answer.ranked.first?.drg == "001" && answer.ranked.first?.probability == 1)
        #expect(answer.ranked.count == 738)
    }
}

@Test func ccMccClassLabelsRoundTrip() {
    for ccMcc in CCMCCClass.allCases {
        #expect(CCMCCClass(label: ccMcc.label) == ccMcc)
        #expect(CCMCCClass(label: ccMcc.label.uppercased()) == ccMcc)
    }
    #expect(CCMCCClass(label: "With CC/MCC") == .withCC)
    #expect(CCMCCClass(label: "sometimes CC") == nil)
}
