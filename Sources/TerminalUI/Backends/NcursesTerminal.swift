import CNcurses
import Foundation

/// The real terminal: ncursesw with the wide-character API (`setlocale`, `wadd_wch`, `wget_wch`).
///
/// It is only a backend (STYLE.md 8): it draws the cells that changed since the last frame, maps each
/// cell's role through the `Theme` onto a colour pair for the terminal's colour depth, and decodes
/// keys, mouse clicks and resizes into `InputEvent`s. It holds no application state.
/// Not thread-safe: use it from the thread that runs the event loop.
public final class NcursesTerminal: Terminal {
    private var window: UnsafeMutablePointer<WINDOW>?
    private var previous: CellBuffer?
    private let theme: Theme
    public let depth: ColorDepth
    private var pairs: [RoleLook: Int16] = [:]
    private var closed = false

    /// Takes the terminal. Throws when stdin/stdout are not a terminal ncurses can use.
    public init(theme: Theme, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        setlocale(LC_ALL, "")
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError("drgcoder review needs a terminal (stdin and stdout are not a TTY)")
        }
        // initscr() exits the process on an unknown terminal; ask terminfo first so that becomes an error.
        guard let output = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r"),
              let screen = newterm(nil, output, input) else {
            throw TerminalError("the terminal type \"\(environment["TERM"] ?? "unset")\" is unknown to terminfo; set TERM (e.g. xterm-256color)")
        }
        set_term(screen)
        // A full-screen window of our own: `stdscr` is a C global Swift 6 will not touch; on KEY_RESIZE
        // this window is resized to the terminal's new size (`TIOCGWINSZ`).
        guard let win = newwin(0, 0, 0, 0) else { throw TerminalError("cannot initialise the terminal (TERM=\(environment["TERM"] ?? "unset"))") }
        window = win
        self.theme = theme
        // cbreak, not raw: Ctrl-C and Ctrl-Z still raise SIGINT and SIGTSTP, which `SignalWatch` turns
        // into a clean quit and a proper suspend.
        cbreak()
        noecho()
        nonl()
        keypad(win, true)
        set_escdelay(25)
        curs_set(0)
        scrollok(win, false)
        // BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED (mouse version 2:
        // NCURSES_MOUSE_MASK(b, m) = m << ((b - 1) * 5)); the macros do not import into Swift.
        mousemask(mmask_t(0x2 | 0x4 | (0x2 << 15) | (0x2 << 20)), nil)
        mouseinterval(0)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(tigetnum("colors"))
        }
        depth = ColorDepth.detect(colors: colors, environment: environment)
    }

    deinit { close() }

    public var size: Size {
        guard let window else { return .zero }
        return Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard let window, !closed else { return nil }
        wtimeout(window, Int32(timeoutMilliseconds))
        var ch: wint_t = 0
        let rc = wget_wch(window, &ch)
        if rc == ERR { return nil }
        if rc == KEY_CODE_YES { return decodeFunctionKey(Int32(ch)) }
        return decodeCharacter(UInt32(ch))
    }

    public func present(_ frame: CellBuffer) {
        guard let window, !closed else { return }
        for change in frame.changes(since: previous) where !change.cell.isContinuation {
            draw(change.cell, x: change.x, y: change.y, in: window)
        }
        previous = frame
        wnoutrefresh(window)
        doupdate()
    }

    public func suspend() {
        guard !closed else { return }
        endwin()
    }

    public func resume() {
        guard let window, !closed else { return }
        previous = nil
        wclear(window)
        wrefresh(window)
    }

    public func close() {
        guard !closed else { return }
        closed = true
        mousemask(0, nil)
        curs_set(1)
        endwin()
        window = nil
    }

    // MARK: - Drawing

    private func draw(_ cell: Cell, x: Int, y: Int, in window: UnsafeMutablePointer<WINDOW>) {
        let look = theme.look(cell.style, depth: depth)
        var attributes: UInt32 = 0
        // A_BOLD, A_UNDERLINE, A_REVERSE, A_DIM are NCURSES_BITS(1, n) = 1 << (n + 8): function-like
        // macros that do not import into Swift.
        if look.attributes.contains(.bold) { attributes |= 1 << 21 }
        if look.attributes.contains(.underline) { attributes |= 1 << 17 }
        if look.attributes.contains(.reverse) { attributes |= 1 << 18 }
        if look.attributes.contains(.dim) { attributes |= 1 << 20 }
        let pair = colorPair(for: look)
        var wide: [wchar_t] = cell.grapheme.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        if wide.isEmpty { wide = [32] }
        wide.append(0)
        var cc = cchar_t()
        _ = setcchar(&cc, wide, attr_t(attributes), pair, nil)
        wmove(window, Int32(y), Int32(x))
        wadd_wch(window, &cc)
    }

    private func colorPair(for look: RoleLook) -> Int16 {
        guard depth != .monochrome else { return 0 }
        let key = RoleLook(foreground: look.foreground, background: look.background)
        if let p = pairs[key] { return p }
        let fg = look.foreground.number(for: depth), bg = look.background.number(for: depth)
        if fg == -1 && bg == -1 { pairs[key] = 0; return 0 }
        let next = Int16(pairs.values.filter { $0 > 0 }.count + 1)
        guard init_pair(next, Int16(fg), Int16(bg)) != ERR else { return 0 }
        pairs[key] = next
        return next
    }

    // MARK: - Input

    private func decodeCharacter(_ value: UInt32) -> InputEvent? {
        switch value {
        case 13, 10: return .key(.enter)
        case 9: return .key(.tab)
        case 27: return .key(.escape)
        case 127, 8: return .key(.backspace)
        case 1...26:
            return .key(.control(Character(Unicode.Scalar(UInt8(value) + 96))))
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    private func decodeFunctionKey(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE:
            var ws = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, let window {
                wresize(window, Int32(ws.ws_row), Int32(ws.ws_col))
            }
            previous = nil
            return .resize(size)
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let state = UInt(event.bstate)
            let kind: MouseEvent.Kind
            if state & UInt(0x2 << 15) != 0 { kind = .scrollUp }
            else if state & UInt(0x2 << 20) != 0 { kind = .scrollDown }
            else if state & UInt(0x2 | 0x4) != 0 { kind = .press }
            else { return nil }
            return .mouse(MouseEvent(x: Int(event.x), y: Int(event.y), kind: kind))
        case KEY_F0 + 1...KEY_F0 + 12: return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }
}

/// The terminal cannot be used; the message is one line for the user.
public struct TerminalError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
