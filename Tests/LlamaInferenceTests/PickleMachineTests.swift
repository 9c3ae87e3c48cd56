import Foundation
import Testing
@testable import LlamaInference

/// The pickle machine on hand-written programs: what it builds, and what it refuses.
@Suite struct PickleMachineTests {
    static let stateDict = TorchCheckpoint.globals

    func run(_ bytes: [UInt8]) throws -> Pickle { try PickleMachine.run(bytes, globals: Self.stateDict).pickle }

    @Test func buildsAnOrderedDictOfStrings() throws {
        // PROTO 2, GLOBAL collections.OrderedDict, EMPTY_TUPLE, REDUCE, MARK, "a" 1, "b" 2, SETITEMS, STOP
        var program: [UInt8] = [0x80, 2, 0x63] + Array("collections\nOrderedDict\n".utf8) + [0x29, 0x52, 0x28]
        program += [0x8C, 1] + Array("a".utf8) + [0x4B, 1]
        program += [0x8C, 1] + Array("b".utf8) + [0x4A, 0xFE, 0xFF, 0xFF, 0xFF]
        program += [0x75, 0x2E]
        let pickle = try run(program)
        #expect(pickle.lookup("a", in: pickle.root) == .int(1))
        #expect(pickle.lookup("b", in: pickle.root) == .int(-2))
    }

    @Test func refusesAGlobalAStateDictNeverUses() throws {
        // The classic: GLOBAL posix.system, ("echo hi",), REDUCE.
        let program: [UInt8] = [0x80, 2, 0x63] + Array("posix\nsystem\n".utf8) + [0x8C, 7] + Array("echo hi".utf8) + [0x85, 0x52, 0x2E]
        #expect(throws: PickleError.self) { try run(program) }
        do { _ = try run(program) } catch let error as PickleError {
            #expect(error.description.contains("posix.system"))
            #expect(error.offset == 2)
        }
    }

    @Test func refusesCallingAStorageType() throws {
        let program: [UInt8] = [0x80, 2, 0x63] + Array("torch\nHalfStorage\n".utf8) + [0x29, 0x52, 0x2E]
        do { _ = try run(program); Issue.record("calling torch.HalfStorage was allowed") } catch let error as PickleError {
            #expect(error.description.contains("never calls"))
        }
    }

    @Test func refusesUnknownOpcodesByName() throws {
        do { _ = try run([0x80, 2, 0x69]); Issue.record("INST was allowed") } catch let error as PickleError {
            #expect(error.description.contains("INST"))
        }
    }

    @Test func truncatedLengthsAreErrorsNotReads() throws {
        // BINUNICODE declaring 4 GB, with 3 bytes left.
        do { _ = try run([0x80, 2, 0x58, 0xFF, 0xFF, 0xFF, 0xFF, 0x61, 0x62, 0x63]); Issue.record("accepted") } catch let error as PickleError {
            #expect(error.description.contains("truncated"))
        }
        #expect(throws: PickleError.self) { try run([0x80, 2]) }                // no STOP
        #expect(throws: PickleError.self) { try run([0x80, 2, 0x68, 9, 0x2E]) }  // memo slot never set
    }

    @Test func aDeepNestIsFreedWithoutRecursion() throws {
        // 200,000 nested one-tuples: a recursive tree would overflow the stack when it is freed.
        let program: [UInt8] = [0x80, 2, 0x4E] + [UInt8](repeating: 0x85, count: 200_000) + [0x2E]
        let pickle = try run(program)
        #expect(pickle.tuples.count == 200_000)
    }

    @Test func aListInsideItselfIsData() throws {
        // EMPTY_LIST, BINPUT 0, BINGET 0, APPEND, STOP: the list holds itself.
        let pickle = try run([0x80, 2, 0x5D, 0x71, 0, 0x68, 0, 0x61, 0x2E])
        #expect(pickle.elements(pickle.root) == [.list(0)])
    }

    @Test func bigIntegersKeepTheirBytes() throws {
        // LONG1 of PyTorch's legacy magic number, and small LONG1 values with their sign.
        let magic = TorchCheckpoint.legacyMagic
        let pickle = try run([0x80, 2, 0x8A, UInt8(magic.count)] + magic + [0x2E])
        #expect(pickle.root == .bigInt(magic))
        #expect(try run([0x80, 2, 0x8A, 2, 0xE9, 0x03, 0x2E]).root == .int(1001))
        #expect(try run([0x80, 2, 0x8A, 1, 0xFF, 0x2E]).root == .int(-1))
    }
}
