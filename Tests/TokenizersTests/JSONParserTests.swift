import Testing
@testable import Tokenizers

/// The hand-written JSON parser: exact strings, escapes, and clear errors.
struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func keepsCanonicallyEquivalentKeysApart() throws {
        guard case .object(let members) = try parse("{\"\u{03AC}\": 1, \"\u{1F71}\": 2}") else {
            Issue.record("not an object")
            return
        }
        // Foundation's JSONSerialization and JSONDecoder return one key here (checked by hand on
        // swift-corelibs-foundation 6.3.1), which is why this parser exists.
        #expect(members.count == 2)
        #expect(members.map { $0.key.unicodeScalars.map(\.value) } == [[0x03AC], [0x1F71]])
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        guard case .string(let text) = try parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) else {
            Issue.record("not a string")
            return
        }
        #expect(text == "a\"\\/\u{08}\u{0C}\n\r\té😀")
    }

    @Test func parsesNumbersAndLiterals() throws {
        guard case .array(let values) = try parse(" [0, -12, 3.5e2, true, false, null] ") else {
            Issue.record("not an array")
            return
        }
        #expect(values.count == 6)
        if case .number(let number) = values[2] { #expect(number == 350) } else { Issue.record("not a number") }
    }

    @Test(arguments: [
        ("", "unexpected end of input at byte 0"),
        ("{\"a\" 1}", "expected ':' at byte 5"),
        ("[1,]", "unexpected character at byte 3"),
        ("\"\\ud800\"", "unpaired surrogate escape at byte 7"),
        ("01", "unexpected content after the JSON value at byte 1"),
        ("\"a\u{01}\"", "control character in a string at byte 2"),
        ("1e999", "number out of range at byte 5"),
        ("tru", "unexpected end of input at byte 0"),
    ])
    func rejectsMalformedInput(_ input: String, _ message: String) {
        #expect(throws: TokenizerError.invalidJSON(message)) { try parse(input) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: TokenizerError.invalidJSON("invalid UTF-8 in a string at byte 3")) {
            try JSONParser.parse([0x22, 0x61, 0xFF, 0x22])
        }
    }
}
