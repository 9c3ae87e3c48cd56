#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Calls `changed` when a file named in `names` in `directory` is written, created or replaced —
/// by any process. Event-driven, never polling: Linux's inotify on the directory (so a WAL file
/// that is created later is seen too), read through a Dispatch read source; on Darwin a vnode
/// source on each file that exists when the watch starts. Nil when the system refuses a watch.
final class FileChangeWatch: @unchecked Sendable {
    // @unchecked: the sources are created once and only cancelled afterwards.
    private var sources: [any DispatchSourceProtocol] = []
    private let queue = DispatchQueue(label: "drgcoder.file-changes")

    init?(directory: String, names: Set<String>, changed: @escaping @Sendable () -> Void) {
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_MODIFY) | UInt32(IN_CREATE) | UInt32(IN_MOVED_TO) | UInt32(IN_CLOSE_WRITE)
        guard inotify_add_watch(fd, directory, mask) >= 0 else { close(fd); return nil }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler {
            if Self.readEvents(fd).contains(where: names.contains) { changed() }
        }
        source.setCancelHandler { close(fd) }
        source.resume()
        sources = [source]
        #else
        for name in names {
            let fd = open(directory + "/" + name, O_EVTONLY)
            guard fd >= 0 else { continue }
            let source = DispatchSource.makeFileSystemObjectSource(fileDescriptor: fd, eventMask: [.write, .extend], queue: queue)
            source.setEventHandler { changed() }
            source.setCancelHandler { close(fd) }
            source.resume()
            sources.append(source)
        }
        if sources.isEmpty { return nil }
        #endif
    }

    func cancel() { for source in sources { source.cancel() } }

    #if os(Linux)
    /// The file names of the inotify events waiting on `fd` (struct inotify_event: wd, mask,
    /// cookie, len — four 32-bit fields — then `len` bytes of NUL-padded name).
    private static func readEvents(_ fd: Int32) -> [String] {
        var names: [String] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return names }
            var offset = 0
            while offset + 16 <= count {
                let length = buffer.withUnsafeBytes { Int($0.load(fromByteOffset: offset + 12, as: UInt32.self)) }
                let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                names.append(String(decoding: nameBytes, as: UTF8.self))
                offset += 16 + length
            }
        }
    }
    #endif
}
