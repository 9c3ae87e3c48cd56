import Foundation

/// A fresh directory under the system's temporary directory; `cleanUp()` removes it.
///
///     let temp = try TemporaryDirectory(prefix: "store"); defer { temp.cleanUp() }
///     let db = temp.url.appendingPathComponent("queue.sqlite")
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(prefix: String = "drgcoder-tests") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// `name` inside the directory.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    public func cleanUp() { try? FileManager.default.removeItem(at: url) }
}
