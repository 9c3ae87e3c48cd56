/// A small tokenizer.json in LLaMA-2's shape (Prepend/Replace normalizer, BPE with byte fallback,
/// `<s>` template, Replace/ByteFallback/Fuse/Strip decoder) over a 300-piece vocabulary:
/// the three specials, the 256 byte pieces, a few letters and merges. Used for the mutation tests.
enum SyntheticTokenizer {
    static let letters = ["▁", "a", "b", "c", "d", "e", "l", "o", "t", "s", "P", "S", "O", "B", "/", "."]
    static let merges: [(String, String)] = [("▁", "t"), ("e", "l"), ("▁", "a"), ("a", "b"), ("▁t", "o"), ("o", "t"), ("▁a", "b")]

    static var json: String {
        var vocab: [(String, Int)] = [("<unk>", 0), ("<s>", 1), ("</s>", 2)]
        for byte in 0..<256 { vocab.append((byteName(byte), vocab.count)) }
        for letter in letters { vocab.append((letter, vocab.count)) }
        for (left, right) in merges { vocab.append((left + right, vocab.count)) }
        let vocabText = vocab.map { "\(JSONWriter.quote($0.0)):\($0.1)" }.joined(separator: ",")
        let mergesText = merges.map { "[\(JSONWriter.quote($0.0)),\(JSONWriter.quote($0.1))]" }.joined(separator: ",")
        return """
        {"version":"1.0","truncation":null,"padding":null,"added_tokens":[\
        {"id":0,"content":"<unk>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},\
        {"id":1,"content":"<s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},\
        {"id":2,"content":"</s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],\
        "normalizer":{"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},{"type":"Replace","pattern":{"String":" "},"content":"▁"}]},\
        "pre_tokenizer":null,\
        "post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],\
        "pair":[],"special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}},\
        "decoder":{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},{"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]},\
        "model":{"type":"BPE","dropout":null,"unk_token":"<unk>","continuing_subword_prefix":null,"end_of_word_suffix":null,\
        "fuse_unk":true,"byte_fallback":true,"ignore_merges":false,"vocab":{\(vocabText)},"merges":[\(mergesText)]}}
        """
    }

    static func byteName(_ byte: Int) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" : "") + hex + ">"
    }
}
