import Foundation
@testable import Tokenizers

/// Writes a SentencePiece `ModelProto` (tests only), to turn LLaMA-2's tokenizer.json back into
/// the `tokenizer.model` it was converted from: same pieces and types, and scores that order the
/// pieces as the merges list does (a piece scores −(rank of the first merge that makes it)).
/// Reading that file must then tokenize exactly like the tokenizer.json.
enum SentencePieceModelWriter {
    static func llama2Model(fromTokenizerJSON bytes: [UInt8]) throws -> [UInt8] {
        let root = ConfigNode(try JSONParser.parse(bytes), path: "")
        let model = try root.required("model")
        var pieceByID: [Int: String] = [:]
        for (key, node) in try model.required("vocab").members() { pieceByID[try node.int()] = key }
        var firstMergeRank: [[UInt8]: Int] = [:]
        for (rank, node) in try model.required("merges").array().enumerated() {
            let pair = try node.array().map { try $0.string() }
            let merged = Array((pair[0] + pair[1]).utf8)
            if firstMergeRank[merged] == nil { firstMergeRank[merged] = rank }
        }
        var body: [UInt8] = []
        for id in 0..<pieceByID.count {
            let text = pieceByID[id] ?? ""
            let type: Int
            switch id {
            case 0: type = 2                                                   // UNKNOWN
            case 1, 2: type = 3                                                // CONTROL
            default: type = ByteFallbackDecoder.byteValue(text) != nil ? 6 : 1 // BYTE or NORMAL
            }
            let score = Float(-(firstMergeRank[Array(text.utf8)] ?? 1_000_000))
            var piece: [UInt8] = []
            appendBytes(field: 1, Array(text.utf8), to: &piece)
            appendTag(field: 2, wireType: 5, to: &piece)
            withUnsafeBytes(of: score.bitPattern.littleEndian) { piece.append(contentsOf: $0) }
            appendVarint(field: 3, UInt64(type), to: &piece)
            appendBytes(field: 1, piece, to: &body)
        }
        var trainer: [UInt8] = []
        appendVarint(field: 3, 2, to: &trainer)    // model_type: BPE
        appendVarint(field: 35, 1, to: &trainer)   // byte_fallback
        appendVarint(field: 41, 1, to: &trainer)   // bos_id
        appendBytes(field: 2, trainer, to: &body)
        var normalizer: [UInt8] = []
        appendBytes(field: 1, Array("identity".utf8), to: &normalizer)
        appendVarint(field: 3, 1, to: &normalizer) // add_dummy_prefix
        appendVarint(field: 4, 0, to: &normalizer) // remove_extra_whitespaces
        appendVarint(field: 5, 1, to: &normalizer) // escape_whitespaces
        appendBytes(field: 3, normalizer, to: &body)
        return body
    }

    private static func appendRawVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func appendTag(field: Int, wireType: Int, to bytes: inout [UInt8]) {
        appendRawVarint(UInt64(field << 3 | wireType), to: &bytes)
    }

    private static func appendVarint(field: Int, _ value: UInt64, to bytes: inout [UInt8]) {
        appendTag(field: field, wireType: 0, to: &bytes)
        appendRawVarint(value, to: &bytes)
    }

    private static func appendBytes(field: Int, _ value: [UInt8], to bytes: inout [UInt8]) {
        appendTag(field: field, wireType: 2, to: &bytes)
        appendRawVarint(UInt64(value.count), to: &bytes)
        bytes.append(contentsOf: value)
    }
}
