#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns Unix signals into something the event loop can act on, and restores the terminal on a crash.
///
/// The handlers do only async-signal-safe work: for SIGINT, SIGTERM, SIGHUP, SIGTSTP and SIGCONT they
/// `write(2)` the signal number to a self-pipe, and the loop reads it (`pendingSignals()`) and acts
/// (quit cleanly; suspend and stop; resume). For crash signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
/// SIGABRT) the handler writes a fixed "leave the alternate screen, show the cursor, stop mouse
/// reporting" sequence to the terminal, puts back the saved termios with `tcsetattr(2)` (both
/// async-signal-safe), restores the default action and re-raises, so the crash still dumps.
///
/// `install()` also *unblocks* these signals in the calling thread with `pthread_sigmask` before any
/// worker thread exists: threads inherit the creating thread's mask, and a mask inherited from the
/// parent (seen with `make` and stdin at /dev/null) otherwise leaves every thread blocking SIGINT, so
/// the signal is never delivered. Call it from the main thread before starting Dispatch work.
///
/// It deliberately handles no SIGWINCH: ncurses turns that into KEY_RESIZE itself.
public enum SignalWatch {
    /// The signals the loop acts on.
    public static let loopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT]
    /// The signals that end the process after the terminal is restored.
    public static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Installs the handlers, saving the terminal's modes from `ttyFD` for the crash path.
    /// Returns false when the self-pipe cannot be made (the program then runs without them).
    @discardableResult
    public static func install(ttyFD: Int32 = STDOUT_FILENO) -> Bool {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return false }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        signalPipeRead = fds[0]
        signalPipeWrite = fds[1]
        crashTTY = ttyFD
        savedTermiosValid = tcgetattr(ttyFD, &savedTermios) == 0
        for sig in loopSignals { setHandler(sig, recordSignal) }
        for sig in crashSignals { setHandler(sig, restoreAndReraise) }
        unblock(loopSignals + crashSignals)
        return true
    }

    /// Unblocks `signals` in the calling thread (and so in the threads it creates later).
    public static func unblock(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Whether `signal` is blocked in the calling thread (for the test of `install`).
    public static func isBlocked(_ signal: Int32) -> Bool {
        var current = sigset_t()
        pthread_sigmask(SIG_BLOCK, nil, &current)
        return sigismember(&current, signal) == 1
    }

    /// The signals recorded since the last call, oldest first. Never blocks.
    public static func pendingSignals() -> [Int32] {
        guard signalPipeRead >= 0 else { return [] }
        var out: [Int32] = []
        var byte: UInt8 = 0
        while read(signalPipeRead, &byte, 1) == 1 { out.append(Int32(byte)) }
        return out
    }

    /// Stops the process the way SIGTSTP would have (after the caller suspended the terminal), and
    /// returns once it is continued. The handler is put back afterwards.
    public static func stopSelf() {
        setHandler(SIGTSTP, nil)
        unblock([SIGTSTP])
        raise(SIGTSTP)
        setHandler(SIGTSTP, recordSignal)
    }

    /// Puts the default action back for every signal this installed (after the terminal closed).
    public static func uninstall() {
        for sig in loopSignals + crashSignals { setHandler(sig, nil) }
    }

    private static func setHandler(_ sig: Int32, _ handler: (@convention(c) (Int32) -> Void)?) {
        var action = sigaction()
        #if canImport(Glibc)
        if let handler { action.__sigaction_handler.sa_handler = handler } else { action.__sigaction_handler.sa_handler = SIG_DFL }
        #else
        if let handler { action.__sigaction_u.__sa_handler = handler } else { action.__sigaction_u.__sa_handler = SIG_DFL }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(sig, &action, nil)
    }
}

// The handlers below are C function pointers and can capture nothing, so what they use must be
// global. Each is written once by `install()` on the main thread before any handler is installed and
// only read afterwards (the handlers read them), which is why `nonisolated(unsafe)` is safe here.
nonisolated(unsafe) private var signalPipeRead: Int32 = -1
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1
nonisolated(unsafe) private var crashTTY: Int32 = STDOUT_FILENO
nonisolated(unsafe) private var savedTermios = termios()
nonisolated(unsafe) private var savedTermiosValid = false

private func recordSignal(_ sig: Int32) {
    var byte = UInt8(truncatingIfNeeded: sig)
    _ = write(signalPipeWrite, &byte, 1)
}

private func restoreAndReraise(_ sig: Int32) {
    // Leave the alternate screen, show the cursor, stop mouse reporting, reset attributes.
    let reset: StaticString = "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n"
    _ = write(crashTTY, reset.utf8Start, reset.utf8CodeUnitCount)
    if savedTermiosValid { _ = tcsetattr(crashTTY, TCSANOW, &savedTermios) }
    signal(sig, SIG_DFL)
    raise(sig)
}
