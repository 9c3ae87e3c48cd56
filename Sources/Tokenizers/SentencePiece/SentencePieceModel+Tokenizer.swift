extension SentencePieceModel {
    /// The HF-equivalent pipeline for this model (see the type's documentation).
    func makeTokenizer(roles: SpecialTokenRoles) throws(TokenizerError) -> Tokenizer {
        guard modelType == 2 else { throw .unsupported("SentencePiece model type \(modelType) (only BPE = 2 is implemented)") }
        guard !hasCharsMap else { throw .unsupported("SentencePiece normalizer \"\(normalizerName)\" (only identity)") }
        guard !removeExtraWhitespaces else { throw .unsupported("SentencePiece remove_extra_whitespaces: true") }

        var roles = roles
        if roles.fromFiles, let unknown = pieces.first(where: { $0.type == .unknown })?.text {
            // The slow tokenizer resolves a special token's name with `sp_model.piece_to_id`, which
            // answers the unknown piece's id for a name that is no piece (decapoda's "").
            func resolved(_ name: String?) -> String? {
                guard let name else { return nil }
                return !name.isEmpty && pieces.contains(where: { $0.text == name }) ? name : unknown
            }
            (roles.bos, roles.eos) = (resolved(roles.bos), resolved(roles.eos))
        }
        let vocabulary = Vocabulary(entries: pieces.enumerated().map { ($0.element.text, $0.offset) })
        let model = BPEModel(vocabulary: vocabulary, merges: scoreMerges(vocabulary), unknownID: pieces.firstIndex { $0.type == .unknown },
                             fuseUnknown: true,
                             byteFallbackIDs: byteFallback ? (0..<256).map { vocabulary.id(of: Array(ByteFallbackPiece.spelling(UInt8($0)).utf8)) } : nil,
                             ignoreMerges: false)
        // Which strings are cut out of the text before SentencePiece sees it. HF's converted (fast)
        // tokenizer: every control, unknown and user-defined piece. transformers 4.30's slow
        // `LlamaTokenizer`, once its files name the special tokens: only those names (an empty name,
        // as decapoda's files give, matches nothing), plus user-defined pieces.
        let slowNames = Set([roles.bos, roles.eos, roles.unk, roles.pad].compactMap { $0 }.filter { !$0.isEmpty })
        let added = pieces.enumerated().compactMap { id, piece -> AddedToken? in
            let special = piece.type == .control || piece.type == .unknown
            if roles.fromFiles {
                guard slowNames.contains(piece.text) || piece.type == .userDefined else { return nil }
            } else {
                guard special || piece.type == .userDefined else { return nil }
            }
            return AddedToken(id: id, content: Array(piece.text.unicodeScalars), special: piece.type != .userDefined,
                              singleWord: false, leftStrip: false, rightStrip: false)
        }

        let space: [Unicode.Scalar] = ["\u{2581}"]
        var normalizers: [any Normalizer] = []
        if addDummyPrefix { normalizers.append(PrependNormalizer(prefix: space)) }
        if escapeWhitespaces { normalizers.append(ReplaceNormalizer(pattern: [" "], replacement: space)) }
        var decoders: [any Decoder] = []
        if escapeWhitespaces { decoders.append(ReplaceDecoder(pattern: space, replacement: [" "])) }
        decoders += [ByteFallbackDecoder(), FuseDecoder()]
        if addDummyPrefix { decoders.append(StripDecoder(content: " ", start: 1, stop: 0)) }
        // BOS: the trainer's bos_id, unless the files name it. The slow tokenizer then takes
        // `sp_model.piece_to_id(name)`, which is the unknown piece's id for a name that is no piece —
        // so decapoda's `"bos_token": ""` prepends id 0, not 1.
        let unknownID = pieces.firstIndex { $0.type == .unknown }
        var bos = pieces.indices.contains(bosID) ? bosID : nil
        if roles.fromFiles, let name = roles.bos {
            bos = pieces.firstIndex { $0.text == name && !name.isEmpty } ?? unknownID
        }
        if roles.addBOS == false { bos = nil }
        let template = bos.map { TemplatePostProcessor(single: [.special(ids: [$0]), .sequence]) }

        return TokenizerJSONReader.assemble(vocabulary: vocabulary, model: model, added: added,
                                            normalizer: normalizers.isEmpty ? nil : SequenceNormalizer(normalizers: normalizers),
                                            preTokenizer: nil, postProcessor: template,
                                            decoder: SequenceDecoder(decoders: decoders), templateBOS: bos, roles: roles)
    }

    /// Merge rules from scores: every split of a NORMAL piece into two NORMAL pieces; rank is the
    /// dense rank of the merged piece's score, highest score first (so equal scores tie).
    private func scoreMerges(_ vocabulary: Vocabulary) -> MergeTable {
        let distinctScores = Set(pieces.filter { $0.type == .normal }.map(\.score)).sorted(by: >)
        var rankOfScore: [Float: Int] = [:]
        for (rank, score) in distinctScores.enumerated() { rankOfScore[score] = rank }
        var rules: [(left: Int, right: Int, rank: Int, merged: Int)] = []
        for (mergedID, piece) in pieces.enumerated() where piece.type == .normal {
            let scalars = Array(piece.text.unicodeScalars)
            guard scalars.count > 1, let rank = rankOfScore[piece.score] else { continue }
            for cut in 1..<scalars.count {
                guard let left = vocabulary.id(of: scalars[..<cut]), pieces[left].type == .normal,
                      let right = vocabulary.id(of: scalars[cut...]), pieces[right].type == .normal else { continue }
                rules.append((left, right, rank, mergedID))
            }
        }
        return MergeTable(rules: rules)
    }
}
