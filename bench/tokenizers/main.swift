// Tokenizer throughput benchmark (not a test). Build and run with bench/tokenizers/run.sh, which
// compiles this file together with Sources/Tokenizers into one optimized executable.
//
// Measures, for the LLaMA-2 and LLaMA-3 tokenizer.json of shared/reference: load time, and encode
// throughput in tokens/ms over the 1,000 texts of Tests/TokenizersTests/Fixtures/hf_corpus.json
// (best of 5 passes). Also times the LLaMA-3 split alone, hand-written scanner vs
// NSRegularExpression with the same pattern, to show why the scanner exists.
import Foundation

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: tokenizer-bench REFERENCE_DIR CORPUS_JSON\n".utf8))
    exit(2)
}
let reference = URL(fileURLWithPath: arguments[1])
let corpusData = try Data(contentsOf: URL(fileURLWithPath: arguments[2]))
guard let corpus = try JSONSerialization.jsonObject(with: corpusData) as? [String: Any],
      let texts = corpus["texts"] as? [String] else {
    FileHandle.standardError.write(Data("corpus JSON has no texts\n".utf8))
    exit(2)
}
let characters = texts.reduce(0) { $0 + $1.unicodeScalars.count }
print("corpus: \(texts.count) texts, \(characters) scalars")

// Worst cases: one 100,000-scalar word (LLaMA-2 has no pre-tokenizer, so a note is one BPE word).
var generator = SystemRandomNumberGenerator()
let letters = Array("abcdefghijklmnopqrstuvwxyz")
let longWord = String((0..<100_000).map { _ in letters[Int(generator.next() % 26)] })
let oneLetter = String(repeating: "a", count: 100_000)

for name in ["llama2-spm", "llama3-bpe"] {
    var tokenizer: Tokenizer?
    let load = try seconds { tokenizer = try Tokenizer.load(tokenizerJSON: reference.appendingPathComponent("\(name).tokenizer.json")) }
    guard let tokenizer else { exit(1) }
    var tokens = 0
    var best = Double.infinity
    for _ in 0..<5 {
        var count = 0
        let elapsed = seconds { for text in texts { count += tokenizer.encode(text).ids.count } }
        tokens = count
        best = min(best, elapsed)
    }
    print(String(format: "%@: load %.0f ms; encode %d tokens in %.1f ms = %.0f tokens/ms",
                 name, load * 1000, tokens, best * 1000, Double(tokens) / (best * 1000)))
    for (label, word) in [("100k random letters", longWord), ("100k × \"a\"", oneLetter)] {
        var count = 0
        let elapsed = seconds { count = tokenizer.encode(word).ids.count }
        print(String(format: "  %@ as one word: %d tokens in %.1f ms", label, count, elapsed * 1000))
    }
}

// The LLaMA-3 split alone: scanner vs NSRegularExpression (ICU) on the same corpus.
let scanner = LlamaThreeSplitPattern()
var scannerPieces = 0
let scannerTime = seconds { for text in texts { scannerPieces += scanner.matches(in: Array(text.unicodeScalars)).count } }
let regex = try NSRegularExpression(pattern: LlamaThreeSplitPattern.regex)
var regexPieces = 0
let regexTime = seconds {
    for text in texts { regexPieces += regex.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text)) }
}
print(String(format: "LLaMA-3 split: scanner %d pieces in %.1f ms; NSRegularExpression %d pieces in %.1f ms (%.1fx)",
             scannerPieces, scannerTime * 1000, regexPieces, regexTime * 1000, regexTime / scannerTime))
