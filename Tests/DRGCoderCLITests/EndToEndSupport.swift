#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// Running the built `drgcoder` inside tmux for the end-to-end tests: a private tmux server
/// (`-L`), started with a clean signal mask and default signal actions (posix_spawn attributes), so
/// the program sees what it would in a user's terminal whatever mask the test runner has.
/// Waits poll `capture-pane` with generous deadlines; nothing sleeps a fixed time.
final class TmuxSession {
    let socket: String
    let directory: URL
    private(set) var started = false

    static var tmuxPath: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The `drgcoder` built beside the test bundle (`swift build --build-tests` builds it too).
    static var binary: URL? { try? BuiltProduct.url("drgcoder") }

    /// models/demo of the checkout, or `DRGCODER_DEMO_MODEL` (which the program honours too).
    static var demoModel: URL {
        ProcessInfo.processInfo.environment["DRGCODER_DEMO_MODEL"].map { URL(fileURLWithPath: $0) }
            ?? SharedReference.projectRoot.appendingPathComponent("models/demo")
    }
    static var demoAvailable: Bool { FileManager.default.fileExists(atPath: demoModel.appendingPathComponent("config.json").path) }

    init() throws {
        socket = "drgcoder-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Ends the pane's processes (SIGKILL: a pane started with signals blocked ignores SIGHUP), the
    /// server, its socket and the scratch directory.
    deinit {
        if started {
            if let pid = try? tmux(["display-message", "-p", "-t", "e2e", "#{pane_pid}"]),
               let value = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)), value > 1 {
                kill(value, SIGKILL)
            }
            _ = try? tmux(["kill-server"])
            let uid = getuid()
            let base = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
            try? FileManager.default.removeItem(atPath: "\(base)/tmux-\(uid)/\(socket)")
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts a session of `width`x`height` running `shellCommand` (through /bin/sh). `blocking`
    /// starts the tmux server with those signals blocked, as a parent such as `make` may hand down
    /// (tmux passes its mask on to the pane's processes).
    func start(_ shellCommand: String, width: Int = 120, height: Int = 36, blocking: [Int32] = []) throws {
        guard let tmux = Self.tmuxPath else { throw E2EError("tmux is not installed") }
        _ = try CleanSpawn.run([tmux, "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "e2e", shellCommand],
                               outputTo: directory.appendingPathComponent("tmux.out"), blocking: blocking)
        started = true
    }

    func send(_ keys: String...) throws { _ = try tmux(["send-keys", "-t", "e2e"] + keys) }
    func type(_ text: String) throws { _ = try tmux(["send-keys", "-t", "e2e", "-l", text]) }
    func capture() throws -> String { try tmux(["capture-pane", "-p", "-J", "-t", "e2e"]) }

    /// Polls the pane until `predicate` holds; returns the pane, or throws with the last pane seen.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 180, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = (try? capture()) ?? last
            if predicate(last) { return last }
            usleep(50_000)
        }
        throw E2EError("timed out waiting for \(what); the pane showed:\n\(last)")
    }

    func waitFor(file: URL, timeout: TimeInterval = 120) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8), text.hasSuffix("\n") { return text }
            usleep(50_000)
        }
        throw E2EError("timed out waiting for \(file.lastPathComponent); the pane showed:\n\((try? capture()) ?? "")")
    }

    func tmux(_ arguments: [String]) throws -> String {
        guard let tmux = Self.tmuxPath else { throw E2EError("tmux is not installed") }
        return try CleanSpawn.run([tmux, "-L", socket] + arguments, outputTo: directory.appendingPathComponent("tmux.out"))
    }
}

/// posix_spawn with an empty signal mask (or exactly `blocking` blocked) and default actions for
/// the signals the program handles.
enum CleanSpawn {
    static func run(_ argv: [String], outputTo output: URL, blocking: [Int32] = []) throws -> String {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        for s in blocking { sigaddset(&mask, s) }
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGQUIT, SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, environ)
        guard rc == 0 else { throw E2EError("cannot start \(argv[0]): error \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw E2EError("\(argv.dropFirst(3).joined(separator: " ")) failed (status \(status)): \(text)") }
        return text
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Shell quoting for the command tmux runs.
func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
