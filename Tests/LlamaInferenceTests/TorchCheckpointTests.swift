import Foundation
import TestSupport
import Testing
@testable import LlamaInference

/// PyTorch `.bin` files read as data: both layouts against what torch itself reads back, the hostile
/// files of Fixtures/drg-llama-2023/hostile, and thousands of seeded mutations (none may crash).
@Suite struct TorchCheckpointTests {
    static let root = Fixtures.model("drg-llama-2023")

    struct Expected: Decodable {
        struct Tensor: Decodable { var dtype: String; var shape: [Int]; var values: [Double] }
        var tensors: [String: Tensor]
    }

    static func values(_ view: TensorView) -> [Double] {
        switch view.dtype {
        case .i64: return (0..<view.elementCount).map { Double(view.bytes.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        default:
            var floats = [Float](repeating: 0, count: view.elementCount)
            floats.withUnsafeMutableBufferPointer {
                if let base = $0.baseAddress { WeightMatrix(view: view, rows: 1, columns: view.elementCount).widenRows(0, count: 1, into: base) }
            }
            return floats.map(Double.init)
        }
    }

    @Test(arguments: ["legacy.bin", "zip.bin"])
    func everyTensorReadsAsTorchReadsIt(_ file: String) throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.root.appendingPathComponent("legacy/legacy.json")))
        let checkpoint = try TorchCheckpoint(url: Self.root.appendingPathComponent("legacy/\(file)"))
        #expect(checkpoint.format == (file == "legacy.bin" ? "legacy" : "zip"))
        #expect(Set(checkpoint.tensors.keys) == Set(expected.tensors.keys))
        let dtypes = ["float32": TensorDType.f32, "float16": .f16, "bfloat16": .bf16, "int64": .i64]
        for (name, want) in expected.tensors {
            let view = try #require(checkpoint.tensors[name])
            #expect(view.dtype == dtypes[want.dtype], "\(file) \(name)")
            #expect(view.shape == want.shape, "\(file) \(name)")
            #expect(Self.values(view) == want.values, "\(file) \(name)")
        }
    }

    @Test func hostileFilesAreRefusedInOneLine() throws {
        func message(_ name: String) -> String? {
            do { _ = try TorchCheckpoint(url: Self.root.appendingPathComponent("hostile/\(name)")); return nil } catch {
                return "\(error)"
            }
        }
        let system = try #require(message("os_system.bin"))
        #expect(system.contains("system") && system.contains("refused") && !system.contains("\n"), "\(system)")
        let unknown = try #require(message("unknown_global.bin"))
        #expect(unknown.contains("refused") && !unknown.contains("\n"), "\(unknown)")
        let truncated = try #require(message("truncated.bin"))
        #expect(truncated.contains("truncated") && !truncated.contains("\n"), "\(truncated)")
        // torch 2.0.1 loads this one and fills the missing 216 bytes from whatever memory follows.
        let short = try #require(message("short_storage.bin"))
        #expect(short.contains("storage") && !short.contains("\n"), "\(short)")
    }

    @Test func seededMutationsLoadOrFailCleanly() throws {
        var rng = SplitMix64(seed: 0x7031_2023)
        let sources = ["legacy/legacy.bin", "legacy/zip.bin", "single-bin/adapter_model.bin"]
        var loaded = 0, rejected = 0
        for source in sources {
            let original = [UInt8](try Data(contentsOf: Self.root.appendingPathComponent(source)))
            for _ in 0..<700 {
                var bytes = original
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
                case 1:
                    for _ in 0..<Int.random(in: 1...6, using: &rng) {
                        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0..<bytes.count, using: &rng))
                default:   // damage the pickle region (the first kilobyte holds data.pkl or the legacy pickles)
                    let at = Int.random(in: 0..<min(1024, bytes.count), using: &rng)
                    bytes[at] = [0x52, 0x63, 0x93, 0x51, 0x2E, 0x71, 0x68, 0xFF, 0x00].randomElement(using: &rng) ?? 0
                }
                do {
                    _ = try TorchCheckpoint(buffer: ByteBuffer(copying: Data(bytes)), path: source)
                    loaded += 1
                } catch let error as LoadError {
                    #expect(!error.description.contains("\n"))
                    rejected += 1
                }
            }
        }
        #expect(loaded + rejected == 2100)
        #expect(rejected > 500)   // not vacuous: most mutations break something
    }
}
