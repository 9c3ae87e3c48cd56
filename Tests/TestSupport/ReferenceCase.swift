import Foundation

/// One case of a fixture model's `cases.json`, written by `training/fixtures/`: what transformers
/// computed for a text (`{"name", "token_ids", "logits", "text"?, "truncated"?}`).
public struct ReferenceCase: Decodable, Sendable, CustomStringConvertible {
    public var name: String
    public var text: String?
    public var tokenIDs: [Int]
    public var truncated: Bool?
    public var logits: [Float]

    enum CodingKeys: String, CodingKey { case name, text, tokenIDs = "token_ids", truncated, logits }

    public var description: String { name }

    /// The cases of `directory/cases.json`; throws when the file is missing or has no case.
    public static func load(from directory: URL) throws -> [ReferenceCase] {
        struct File: Decodable { var cases: [ReferenceCase] }
        let url = directory.appendingPathComponent("cases.json")
        let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
        guard !cases.isEmpty else { throw FixtureError("\(url.path) holds no cases") }
        return cases
    }

    /// The engine's fixture model `name` (`Tests/LlamaInferenceTests/Fixtures/<name>`).
    public static func engineFixture(_ name: String) -> URL {
        SharedReference.projectRoot.appendingPathComponent("Tests/LlamaInferenceTests/Fixtures").appendingPathComponent(name)
    }
}

/// A fixture that is missing or empty: a test that needs it fails with this, never passes empty.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The cases of a parameterised test, loaded once. A load error, or a file with no case, becomes one
/// case that fails (`get()` throws), never zero cases, which would pass without testing anything.
///
///     static let vectors = FixtureCases.load { try Vector.read("spm") }
///     @Test(arguments: vectors) func matches(_ vector: FixtureCases<Vector>) throws {
///         let v = try vector.get()
public enum FixtureCases<Case: Sendable>: Sendable, CustomStringConvertible {
    case loaded(Case)
    case failed(String)

    public static func load(_ body: () throws -> [Case]) -> [FixtureCases] {
        do {
            let cases = try body()
            return cases.isEmpty ? [.failed("the fixture holds no cases")] : cases.map { .loaded($0) }
        } catch {
            return [.failed("the fixture did not load: \(error)")]
        }
    }

    /// The case, or the load failure as a thrown error.
    public func get() throws -> Case {
        switch self {
        case .loaded(let value): return value
        case .failed(let reason): throw FixtureError(reason)
        }
    }

    public var description: String {
        switch self {
        case .loaded(let value): return String(describing: value)
        case .failed(let reason): return "load failure: \(reason)"
        }
    }
}

/// Largest absolute difference, and where.
public func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> (value: Float, index: Int) {
    var worst: (Float, Int) = (a.count == b.count ? 0 : .infinity, -1)
    for i in 0..<min(a.count, b.count) where abs(a[i] - b[i]) > worst.0 || abs(a[i] - b[i]).isNaN {
        worst = (abs(a[i] - b[i]), i)
    }
    return worst
}
