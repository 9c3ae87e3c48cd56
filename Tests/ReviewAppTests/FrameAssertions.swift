import Foundation
import Testing
import TerminalUI

/// Whole-frame comparison against `Frames/<name>.txt` beside this file (one row per line).
/// Run with `DRGCODER_RECORD_FRAMES=1` to (re)write the files after changing a screen on purpose,
/// then read the diff before committing it.
enum Frames {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Frames")

    static func expect(_ frame: CellBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent("\(name).txt")
        let actual = frame.lines.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["DRGCODER_RECORD_FRAMES"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing frame \(name).txt (record with DRGCODER_RECORD_FRAMES=1)", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDiff = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
            Issue.record("frame \(name) differs from row \(firstDiff):\nexpected: \(firstDiff < e.count ? String(e[firstDiff]) : "<none>")\nactual:   \(firstDiff < a.count ? String(a[firstDiff]) : "<none>")\n--- actual frame ---\n\(actual)",
                         sourceLocation: sourceLocation)
        }
    }
}
