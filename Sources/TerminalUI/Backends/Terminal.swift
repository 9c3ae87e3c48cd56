/// A place frames are shown and input comes from. The application owns one and is handed it
/// (no `Terminal.shared`): the ncurses backend in the program, `EmbeddedTerminal` in tests.
///
/// Contract: `present` shows the whole frame (a backend may send only the cells that changed);
/// `nextEvent` waits at most `timeoutMilliseconds` (0: do not wait) and returns nil when nothing came;
/// `suspend` gives the terminal back in its original modes (before the process stops or runs a
/// shell), `resume` takes it again and redraws everything; `close` restores the terminal and may be
/// called more than once.
public protocol Terminal: AnyObject {
    var size: Size { get }
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
    func present(_ frame: CellBuffer)
    func suspend()
    func resume()
    func close()
}

/// A terminal in memory (swift-nio's `EmbeddedChannel` idea): tests queue input and read back every
/// frame the application presented. Not thread-safe; drive it from one thread.
///
/// ```swift
/// let terminal = EmbeddedTerminal(size: Size(width: 80, height: 24))
/// terminal.enqueue(.key(.character("j")))
/// // … run the app step …
/// #expect(terminal.lastFrame?.lines[0].hasPrefix("drgcoder") == true)
/// ```
public final class EmbeddedTerminal: Terminal {
    public private(set) var size: Size
    public private(set) var frames: [CellBuffer] = []
    public private(set) var pending: [InputEvent] = []
    public private(set) var isSuspended = false
    public private(set) var isClosed = false
    /// How many cells the diff sent, over all frames (what a real backend would have drawn).
    public private(set) var cellsDrawn = 0
    /// Keep only the last frame (benchmarks present thousands).
    public var keepsAllFrames = true

    public init(size: Size) { self.size = size }

    public var lastFrame: CellBuffer? { frames.last }

    /// Queues input for the application to read.
    public func enqueue(_ events: InputEvent...) { pending.append(contentsOf: events) }
    public func enqueue(_ events: [InputEvent]) { pending.append(contentsOf: events) }

    /// Changes the size and queues the resize event a real terminal would send.
    public func resize(to newSize: Size) {
        size = newSize
        pending.append(.resize(newSize))
    }

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        pending.isEmpty ? nil : pending.removeFirst()
    }

    public func present(_ frame: CellBuffer) {
        cellsDrawn += frame.changes(since: frames.last).count
        if keepsAllFrames { frames.append(frame) } else { frames = [frame] }
    }

    public func suspend() { isSuspended = true }
    public func resume() { isSuspended = false }
    public func close() { isClosed = true }
}
