import Foundation
import LlamaInference

/// The two small pickles of a CAML run, read as data by the engine's ``PickleMachine``.
///
/// JHLiu7/EarlyDRGPrediction writes both with a bare `pickle.dump` of a plain `dict`
/// (`train_utils.dump_outputs`: `pk.dump(vars(args))`; `preprocessing.get_embeddings`:
/// `pk.dump(token2id)`), and `main.py` reads `hyperparam.pk` with `pd.read_pickle`, which for such a
/// file is `pickle.load`. Run with the repository's code (training/fixtures/make_caml_fixtures.py) and
/// checked with `pickletools` on the repository's own shipped `hyperparam.pk` and `token2id.dict`:
/// neither names a single global (opcodes: PROTO, EMPTY_DICT, MARK, BINUNICODE, BININT*, BINFLOAT,
/// NONE, NEWTRUE/NEWFALSE, BINPUT, LONG_BINPUT, SETITEMS, STOP). So the allow-list is empty: any
/// `GLOBAL` — a pandas or numpy reconstructor included — is refused by name at its opcode.
enum CAMLPickle {
    /// No global is allowed (see above); `expected` names the file in the refusal.
    static func globals(_ expected: String) -> PickleGlobals { PickleGlobals(roles: [:], expected: expected) }

    /// The file's root dict as (key, value) pairs with string keys, or a one-line error.
    static func stringKeyedDict(at url: URL, expected: String) throws -> (pickle: Pickle, entries: [(String, PickleValue)]) {
        let bytes: ByteBuffer
        do { bytes = try ByteBuffer(mapping: url) } catch { throw CAMLError(path: url.path, reason: "cannot read: \(error)") }
        let pickle: Pickle
        do {
            pickle = try PickleMachine.run(UnsafeRawBufferPointer(start: bytes.base, count: bytes.count), globals: globals(expected)).pickle
        } catch {
            throw CAMLError(path: url.path, reason: "not \(expected): \(error)")
        }
        guard let entries = pickle.entries(pickle.root) else {
            throw CAMLError(path: url.path, reason: "not \(expected): the pickle holds a \(pickle.root.kind), not a dict")
        }
        var result: [(String, PickleValue)] = []
        result.reserveCapacity(entries.count)
        for (key, value) in entries {
            guard let name = key.string else {
                throw CAMLError(path: url.path, reason: "not \(expected): a key is a \(key.kind), not a str")
            }
            result.append((name, value))
        }
        return (pickle, result)
    }
}
