import Foundation

/// Where the tests find `shared/reference` (DRG-LLaMA label maps, LLaMA tokenizers and llama.cpp's
/// vectors). The project sits beside `shared/` (`../shared` from the clone); worktrees may sit deeper,
/// so this walks up from this source file until a parent holds `shared/reference`.
/// `DRGCODER_SHARED` overrides the search. The shipped program never reads these files.
public enum SharedReference {
    public static var directory: URL? {
        if let explicit = ProcessInfo.processInfo.environment["DRGCODER_SHARED"] {
            return URL(fileURLWithPath: explicit).appendingPathComponent("reference")
        }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared/reference")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// A file under `shared/reference`, e.g. `url("drg-llama/id2label.csv")`.
    public static func url(_ relativePath: String) throws -> URL {
        guard let dir = directory else { throw MissingSharedReference(path: relativePath) }
        return dir.appendingPathComponent(relativePath)
    }

    /// The repository root (for fixtures and models committed in the project).
    public static var projectRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }
}

public struct MissingSharedReference: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "shared/reference/\(path) not found beside the project (set DRGCODER_SHARED)" }
}
