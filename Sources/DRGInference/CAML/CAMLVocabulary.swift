import Foundation
import LlamaInference

/// `token2id.dict`: word → id, as `preprocessing.get_embeddings` builds it: `<pad>` 0, the words in
/// frequency order from 1, `<unk>` last. Immutable.
///
/// Contract: ids are exactly `0..<count`, each once; `<pad>` is 0 and `<unk>` is `count − 1`; a file
/// that breaks this is refused (a model fed a wrong id silently gives wrong DRGs).
public struct CAMLVocabulary: Sendable {
    public static let fileName = "token2id.dict"
    public let ids: [String: Int]
    public let count: Int
    public var unknownID: Int { count - 1 }
    public static let padID = 0

    public init(ids: [String: Int]) throws {
        guard ids["<pad>"] == 0 else { throw CAMLError(path: "token2id", reason: "<pad> is not id 0") }
        guard let unknown = ids["<unk>"], unknown == ids.count - 1 else {
            throw CAMLError(path: "token2id", reason: "<unk> is not the last id (\(ids.count - 1))")
        }
        guard Set(ids.values).count == ids.count, ids.values.allSatisfy({ $0 >= 0 && $0 < ids.count }) else {
            throw CAMLError(path: "token2id", reason: "ids are not 0..<\(ids.count), each once")
        }
        self.ids = ids; count = ids.count
    }

    public static func load(url: URL) throws -> CAMLVocabulary {
        let (_, entries) = try CAMLPickle.stringKeyedDict(at: url, expected: "a pickled token2id dict")
        var ids: [String: Int] = [:]
        ids.reserveCapacity(entries.count)
        for (word, value) in entries {
            guard let id = value.int else { throw CAMLError(path: url.path, reason: "the id of a word is a \(value.kind), not an int") }
            ids[word] = id
        }
        do { return try CAMLVocabulary(ids: ids) } catch let error as CAMLError {
            throw CAMLError(path: url.path, reason: error.reason)
        }
    }

    /// `save2id`: a word's id, `<unk>` for a word not in the vocabulary.
    public func id(_ word: String) -> Int { ids[word] ?? unknownID }
}
