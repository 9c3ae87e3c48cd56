import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on standard error, drawn only when standard error is a terminal
/// (quiet in pipes, logs and tests), at most ten times a second. Shows no note content.
final class TerminalProgress {
    private let label: String
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private let started = Date()

    init(label: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.enabled = enabled
    }

    /// Draws `done` of `total` (bytes or items) and an optional suffix such as "12.3 notes/s".
    func update(done: Int64, total: Int64, suffix: String = "") {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done >= total else { return }
        lastDraw = now
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let percent = String(format: "%3.0f%%", fraction * 100)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(percent) \(suffix)\u{1B}[K".utf8))
    }

    /// Ends the line (only if something was drawn).
    func finish() {
        guard enabled, lastDraw != .distantPast else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
