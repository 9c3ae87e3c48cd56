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
