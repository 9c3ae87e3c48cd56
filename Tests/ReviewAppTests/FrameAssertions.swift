import Foundation
import Testing
import TerminalUI

/// Whole-frame comparison against `Frames/<name>.txt` beside this file (one row per line).
/// Run with `DRGCODER_RECORD_FRAMES=1` to (re)write the files after changing a screen on purpose
/// (that run fails on purpose), then run again and read the diff before committing it.
/// docs/KEYBINDINGS.md is never written by tests: `drgcoder review --print-keybindings > docs/KEYBINDINGS.md`.
enum Frames {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Frames")

    static func expect(_ frame: CellBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent("\(name).txt")
        let actual = frame.lines.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["DRGCODER_RECORD_FRAMES"] == "1" {
            // A recording run writes the frame and fails, so it can never pass without comparing.
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
                Issue.record("recorded \(name).txt; run again without DRGCODER_RECORD_FRAMES to compare", sourceLocation: sourceLocation)
            } catch {
                Issue.record("cannot record \(name).txt: \(error)", sourceLocation: sourceLocation)
            }
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
