/// Reads tokenizer.json's `model` object into a `BPEModel` plus its `Vocabulary`.
///
/// Accepts both spellings of `merges`: `["a b", ...]` (older files, LLaMA-3) and
/// `[["a", "b"], ...]` (tokenizers ≥ 0.20, LLaMA-2 here). A merge naming a piece that is not in the
/// vocabulary, or whose concatenation is not, is an error (HF refuses such files too).
enum BPEModelReader {
    struct Result {
        let model: BPEModel
        let vocabulary: Vocabulary
        /// Every id in the file must be below this: vocab count + added token count (see
        /// `TokenizerJSONReader`), so a corrupt id cannot make us allocate a table of 2^31 entries.
        let idLimit: Int
    }

    static func read(_ node: ConfigNode, addedTokenCount: Int) throws(TokenizerError) -> Result {
        let type = try node.member("type")?.string() ?? "BPE"
        guard type == "BPE" else { throw .unsupported("model type \(type) (only BPE is implemented)") }
        if let dropout = node.value["dropout"], case .number(let p) = dropout, p != 0 {
            throw .unsupported("BPE dropout \(p)")
        }
        for affix in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = try node.member(affix), try !value.string().isEmpty {
                throw .unsupported("BPE \(affix)")
            }
        }

        let members = try node.required("vocab").members()
        let idLimit = members.count + addedTokenCount
        var entries: [(piece: String, id: Int)] = []
        for (key, value) in members {
            entries.append((key, try value.int(below: idLimit)))
        }
        let vocabulary = Vocabulary(entries: entries)
        let merges = try readMerges(try node.required("merges"), vocabulary: vocabulary)

        var unknownID: Int?
        if let unknown = try node.member("unk_token")?.string() {
            guard let id = vocabulary.id(of: Array(unknown.utf8)) else {
                throw .invalidTokenizer("model.unk_token \"\(unknown)\" is not in model.vocab")
            }
            unknownID = id
        }
        var byteFallbackIDs: [Int?]?
        if try node.flag("byte_fallback", default: false) {
            byteFallbackIDs = (0..<256).map { byte in
                vocabulary.id(of: Array(ByteFallbackPiece.spelling(UInt8(byte)).utf8))
            }
        }
        let model = BPEModel(vocabulary: vocabulary, merges: merges, unknownID: unknownID,
                             fuseUnknown: try node.flag("fuse_unk", default: false),
                             byteFallbackIDs: byteFallbackIDs,
                             ignoreMerges: try node.flag("ignore_merges", default: false))
        return Result(model: model, vocabulary: vocabulary, idLimit: idLimit)
    }

    private static func readMerges(_ node: ConfigNode, vocabulary: Vocabulary) throws(TokenizerError) -> MergeTable {
        var rules: [(left: Int, right: Int, rank: Int, merged: Int)] = []
        let elements = try node.array()
        rules.reserveCapacity(elements.count)
        for (rank, element) in elements.enumerated() {
            let left: [UInt8], right: [UInt8]
            switch element.value {
            case .string(let line):
                let utf8 = Array(line.utf8)
                guard let space = utf8.firstIndex(of: UInt8(ascii: " ")) else {
                    throw .invalidTokenizer("\(element.path) must be two pieces separated by a space")
                }
                left = Array(utf8[..<space])
                right = Array(utf8[(space + 1)...])
            case .array(let pair):
                guard pair.count == 2, case .string(let a) = pair[0], case .string(let b) = pair[1] else {
                    throw .invalidTokenizer("\(element.path) must be a pair of strings")
                }
                left = Array(a.utf8)
                right = Array(b.utf8)
            default:
                throw .invalidTokenizer("\(element.path) must be a string or a pair of strings, found \(element.value.kindName)")
            }
            guard let leftID = vocabulary.id(of: left), let rightID = vocabulary.id(of: right),
                  let mergedID = vocabulary.id(of: left + right) else {
                throw .invalidTokenizer("\(element.path) names a piece that is not in model.vocab")
            }
            rules.append((leftID, rightID, rank, mergedID))
        }
        return MergeTable(rules: rules)
    }
}

/// The spelling of a byte-fallback piece: `<0x0A>` (two upper-case hex digits, as SentencePiece
/// and HF write them).
enum ByteFallbackPiece {
    static func spelling(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "<0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0x0F)])>"
    }
}
