import Foundation
import Testing
import TestSupport
@testable import Tokenizers

/// Thousands of seeded random mutations of a tokenizer.json — truncations, byte flips, values of
/// the wrong type — must each end in a thrown `TokenizerError` or a tokenizer that encodes and
/// decodes without trapping and with ids and offsets in range. (A crash fails the whole run.)
struct CorruptInputTests {
    static let samples = ["", "Pt c/o SOB.", "tot ab abc  \n\t😀 ά", "<s>ab</s>", String(repeating: "ab ", count: 50)]

    /// Encodes and decodes the samples; returns a description of anything out of range.
    static func exercise(_ tokenizer: Tokenizer) -> String? {
        for text in samples {
            let encoding = tokenizer.encode(text)
            let count = text.unicodeScalars.count
            guard encoding.ids.count == encoding.offsets.count else { return "ids and offsets differ in count" }
            if let bad = encoding.ids.first(where: { $0 < 0 || $0 >= tokenizer.vocabularySize }) { return "id \(bad) out of range" }
            if let bad = encoding.offsets.first(where: { $0.lowerBound < 0 || $0.upperBound > count }) { return "offset \(bad) out of range" }
            _ = tokenizer.decode(encoding.ids, skipSpecialTokens: false)
            _ = tokenizer.encodeForModel(text, maxTokens: 3)
        }
        return nil
    }

    enum Outcome { case loaded, rejected }

    static func attempt(_ bytes: [UInt8]) -> (Outcome, problem: String?) {
        do {
            let tokenizer = try Tokenizer.load(tokenizerJSONBytes: bytes)
            return (.loaded, exercise(tokenizer))
        } catch {
            let message = error.description
            return (.rejected, message.isEmpty || message.contains("\n") ? "error message not one line: \(message)" : nil)
        }
    }

    @Test func theSyntheticTokenizerWorks() throws {
        let tokenizer = try Tokenizer.load(tokenizerJSONBytes: Array(SyntheticTokenizer.json.utf8))
        #expect(tokenizer.vocabularySize == 3 + 256 + SyntheticTokenizer.letters.count + SyntheticTokenizer.merges.count)
        let encoding = tokenizer.encode("to ab😀")
        #expect(encoding.ids.map { tokenizer.piece(for: $0) ?? "?" } == ["<s>", "▁to", "▁ab", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>"])
        #expect(tokenizer.decode(encoding.ids) == "to ab😀")
        #expect(Self.exercise(tokenizer) == nil)
    }

    @Test func truncationsAndByteFlipsNeverCrash() {
        let original = Array(SyntheticTokenizer.json.utf8)
        var generator = SplitMix64(seed: 20261201)
        var counts = [Outcome.loaded: 0, .rejected: 0]
        var problems: [String] = []
        for round in 0..<3000 {
            var bytes = original
            switch round % 3 {
            case 0:
                bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count))))
            case 1:
                for _ in 0..<(1 + Int(generator.next() % 3)) {
                    bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
            default:
                let structural: [UInt8] = Array("{}[]\",:0-.e\\u".utf8)
                let position = Int(generator.next() % UInt64(bytes.count))
                bytes.insert(structural[Int(generator.next() % UInt64(structural.count))], at: position)
            }
            let (outcome, problem) = Self.attempt(bytes)
            counts[outcome, default: 0] += 1
            if let problem { problems.append("round \(round): \(problem)") }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
        print("byte mutations: \(counts[.loaded] ?? 0) loaded, \(counts[.rejected] ?? 0) rejected")
        #expect((counts[.rejected] ?? 0) > 1000 && (counts[.loaded] ?? 0) > 0)
    }

    /// Replaces one randomly chosen value of the parsed document by a value of another type.
    @Test func valuesOfTheWrongTypeNeverCrash() throws {
        let document = try JSONParser.parse(Array(SyntheticTokenizer.json.utf8))
        let replacements: [JSONValue] = [
            .null, .bool(true), .number(-1), .number(2.5), .number(1e300), .number(4_000_000_000), .number(300),
            .string(""), .string("x"), .string("<s>"), .array([]), .array([.string("a")]), .object([]),
            .object([("type", .string("Sequence"))]),
        ]
        var generator = SplitMix64(seed: 99)
        var counts = [Outcome.loaded: 0, .rejected: 0]
        var problems: [String] = []
        for round in 0..<2000 {
            let replacement = replacements[Int(generator.next() % UInt64(replacements.count))]
            var target = Int(generator.next() % UInt64(Self.countValues(document)))
            let mutated = Self.replacing(document, at: &target, with: replacement)
            let (outcome, problem) = Self.attempt(Array(JSONWriter.write(mutated).utf8))
            counts[outcome, default: 0] += 1
            if let problem { problems.append("round \(round): \(problem)") }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))")
        print("wrong-type mutations: \(counts[.loaded] ?? 0) loaded, \(counts[.rejected] ?? 0) rejected")
        #expect((counts[.rejected] ?? 0) > 200 && (counts[.loaded] ?? 0) > 50)
    }

    @Test func truncatedLlama2FilesAreClearErrors() throws {
        let bytes = [UInt8](try Data(contentsOf: try SharedReference.url("llama-tokenizers/llama2-spm.tokenizer.json")))
        var generator = SplitMix64(seed: 5)
        for _ in 0..<8 {
            let cut = Int(generator.next() % UInt64(bytes.count))
            #expect(throws: TokenizerError.self) { try Tokenizer.load(tokenizerJSONBytes: Array(bytes.prefix(cut))) }
        }
    }

    @Test func errorsNameTheProblem() {
        func message(_ json: String) -> String {
            do { _ = try Tokenizer.load(tokenizerJSONBytes: Array(json.utf8)); return "loaded" } catch { return error.description }
        }
        #expect(message("") == "tokenizer.json is not valid JSON: unexpected end of input at byte 0")
        #expect(message("{\"model\": {\"vocab\": {\"a\": -1}, \"merges\": []}}") == "invalid tokenizer.json: model.vocab.a must be an integer in 0..<1, found -1.0")
        #expect(message("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}") == "unsupported tokenizer: model type Unigram (only BPE is implemented)")
        #expect(message("{\"model\": {\"vocab\": {\"a\": 0}, \"merges\": [\"a b\"]}}") == "invalid tokenizer.json: model.merges[0] names a piece that is not in model.vocab")
        #expect(message(String(repeating: "[", count: 10_000)) == "tokenizer.json is not valid JSON: nesting deeper than 256 at byte 256")
    }

    // MARK: - Helpers over the value tree

    static func countValues(_ value: JSONValue) -> Int {
        switch value {
        case .array(let elements): return 1 + elements.map(countValues).reduce(0, +)
        case .object(let members): return 1 + members.map { countValues($0.value) }.reduce(0, +)
        default: return 1
        }
    }

    /// The document with its `target`-th value (pre-order) replaced.
    static func replacing(_ value: JSONValue, at target: inout Int, with replacement: JSONValue) -> JSONValue {
        if target == 0 { target = -1; return replacement }
        target -= 1
        switch value {
        case .array(let elements):
            return .array(elements.map { target < 0 ? $0 : replacing($0, at: &target, with: replacement) })
        case .object(let members):
            return .object(members.map { target < 0 ? $0 : ($0.key, replacing($0.value, at: &target, with: replacement)) })
        default:
            return value
        }
    }
}
