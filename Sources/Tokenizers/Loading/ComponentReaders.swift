/// Reads the pipeline stages of a tokenizer.json: `normalizer`, `pre_tokenizer`,
/// `post_processor`, `decoder`. Each reader accepts the component types the LLaMA family uses
/// and throws `.unsupported` naming any other, so a surprising file fails at load, not silently.
enum ComponentReaders {
    static func normalizer(_ node: ConfigNode) throws(TokenizerError) -> any Normalizer {
        let type = try node.required("type").string()
        switch type {
        case "Sequence":
            var stages: [any Normalizer] = []
            for child in try node.required("normalizers").array() { stages.append(try normalizer(child)) }
            return SequenceNormalizer(normalizers: stages)
        case "Prepend":
            return PrependNormalizer(prefix: scalars(try node.required("prepend").string()))
        case "Replace":
            return ReplaceNormalizer(pattern: try literalPattern(try node.required("pattern")),
                                     replacement: scalars(try node.required("content").string()))
        default:
            throw .unsupported("normalizer type \(type)")
        }
    }

    static func preTokenizer(_ node: ConfigNode) throws(TokenizerError) -> any PreTokenizer {
        let type = try node.required("type").string()
        switch type {
        case "Sequence":
            var stages: [any PreTokenizer] = []
            for child in try node.required("pretokenizers").array() { stages.append(try preTokenizer(child)) }
            return SequencePreTokenizer(preTokenizers: stages)
        case "Split":
            guard try !node.flag("invert", default: false) else { throw .unsupported("Split pre-tokenizer with invert: true") }
            let behaviorName = try node.required("behavior").string()
            guard let behavior = SplitPreTokenizer.Behavior(rawValue: behaviorName) else {
                throw .invalidTokenizer("\(node.path).behavior \"\(behaviorName)\" is not a split behavior")
            }
            return SplitPreTokenizer(pattern: try splitPattern(try node.required("pattern")), behavior: behavior)
        case "ByteLevel":
            return ByteLevelPreTokenizer(addPrefixSpace: try node.flag("add_prefix_space", default: true),
                                         useRegex: try node.flag("use_regex", default: true))
        case "Metaspace":
            return MetaspacePreTokenizer(replacement: try replacementScalar(node),
                                         prependScheme: try prependScheme(node),
                                         split: try node.flag("split", default: true))
        default:
            throw .unsupported("pre-tokenizer type \(type)")
        }
    }

    /// Also returns the ids the `single` template inserts, in order (the first is BOS).
    static func postProcessor(_ node: ConfigNode, idLimit: Int) throws(TokenizerError) -> (any PostProcessor, templateIDs: [Int]) {
        let type = try node.required("type").string()
        switch type {
        case "Sequence":
            var stages: [any PostProcessor] = []
            var templateIDs: [Int] = []
            for child in try node.required("processors").array() {
                let (stage, ids) = try postProcessor(child, idLimit: idLimit)
                stages.append(stage)
                templateIDs += ids
            }
            return (SequencePostProcessor(processors: stages), templateIDs)
        case "ByteLevel":
            guard try !node.flag("trim_offsets", default: true) else {
                throw .unsupported("ByteLevel post-processor with trim_offsets: true")
            }
            return (IdentityPostProcessor(), [])
        case "TemplateProcessing":
            var specialIDs: [String: [Int]] = [:]
            for (name, entry) in try node.required("special_tokens").members() {
                var ids: [Int] = []
                for id in try entry.required("ids").array() { ids.append(try id.int(below: idLimit)) }
                specialIDs[name] = ids
            }
            var pieces: [TemplatePostProcessor.Piece] = []
            var templateIDs: [Int] = []
            for item in try node.required("single").array() {
                if let special = try item.member("SpecialToken") {
                    let name = try special.required("id").string()
                    guard let ids = specialIDs[name] else {
                        throw .invalidTokenizer("\(special.path).id \"\(name)\" is not in \(node.path).special_tokens")
                    }
                    templateIDs += ids
                    pieces.append(.special(ids: ids))
                } else if try item.member("Sequence") != nil {
                    pieces.append(.sequence)
                } else {
                    throw .invalidTokenizer("\(item.path) must be a SpecialToken or a Sequence")
                }
            }
            return (TemplatePostProcessor(single: pieces), templateIDs)
        default:
            throw .unsupported("post-processor type \(type)")
        }
    }

    static func decoder(_ node: ConfigNode) throws(TokenizerError) -> any Decoder {
        let type = try node.required("type").string()
        switch type {
        case "Sequence":
            var stages: [any Decoder] = []
            for child in try node.required("decoders").array() { stages.append(try decoder(child)) }
            return SequenceDecoder(decoders: stages)
        case "Replace":
            return ReplaceDecoder(pattern: try literalPattern(try node.required("pattern")),
                                  replacement: scalars(try node.required("content").string()))
        case "ByteFallback":
            return ByteFallbackDecoder()
        case "Fuse":
            return FuseDecoder()
        case "Strip":
            let content = scalars(try node.required("content").string())
            guard content.count == 1 else { throw .invalidTokenizer("\(node.path).content must be one character") }
            return StripDecoder(content: content[0], start: try node.required("start").int(below: 1 << 20),
                                stop: try node.required("stop").int(below: 1 << 20))
        case "ByteLevel":
            return ByteLevelDecoder()
        case "Metaspace":
            return MetaspaceDecoder(replacement: try replacementScalar(node),
                                    stripsPrefix: try prependScheme(node) != .never)
        default:
            throw .unsupported("decoder type \(type)")
        }
    }

    // MARK: - Shared pieces

    private static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    /// `{"String": "..."}`; a `{"Regex": ...}` pattern is unsupported here.
    private static func literalPattern(_ node: ConfigNode) throws(TokenizerError) -> [Unicode.Scalar] {
        if let literal = try node.member("String") { return scalars(try literal.string()) }
        if try node.member("Regex") != nil { throw .unsupported("regex pattern in \(node.path)") }
        throw .invalidTokenizer("\(node.path) must have a String or Regex member")
    }

    /// A Split pattern: a literal, or one of the two regexes with hand-written scanners.
    private static func splitPattern(_ node: ConfigNode) throws(TokenizerError) -> any SplitPattern {
        if let literal = try node.member("String") { return LiteralSplitPattern(literal: scalars(try literal.string())) }
        guard let regexNode = try node.member("Regex") else {
            throw .invalidTokenizer("\(node.path) must have a String or Regex member")
        }
        let regex = try regexNode.string()
        if regex == LlamaThreeSplitPattern.regex { return LlamaThreeSplitPattern() }
        if regex == GPT2SplitPattern.regex { return GPT2SplitPattern() }
        throw .unsupported("Split regex \(regex.prefix(40))… (only the LLaMA-3 and GPT-2 patterns are implemented)")
    }

    private static func replacementScalar(_ node: ConfigNode) throws(TokenizerError) -> Unicode.Scalar {
        let replacement = scalars(try node.text("replacement", default: "\u{2581}"))
        guard replacement.count == 1 else { throw .invalidTokenizer("\(node.path).replacement must be one character") }
        return replacement[0]
    }

    /// `prepend_scheme` (tokenizers ≥ 0.19) or the older `add_prefix_space` flag.
    private static func prependScheme(_ node: ConfigNode) throws(TokenizerError) -> MetaspacePreTokenizer.PrependScheme {
        if let scheme = try node.member("prepend_scheme") {
            let name = try scheme.string()
            guard let value = MetaspacePreTokenizer.PrependScheme(rawValue: name) else {
                throw .invalidTokenizer("\(scheme.path) \"\(name)\" is not always, first or never")
            }
            return value
        }
        return try node.flag("add_prefix_space", default: true) ? .always : .never
    }
}
