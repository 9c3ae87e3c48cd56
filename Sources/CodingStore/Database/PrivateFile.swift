import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files that hold PHI (the database, exports) are created readable and writable by their owner
/// only (mode 0600), whatever the process umask, and exports appear whole or not at all.
public enum PrivateFile {
    /// Creates an empty file with mode 0600 if nothing exists at `url`; leaves an existing file alone.
    public static func ensureExists(at url: URL) throws {
        let fd = open(url.path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.io("cannot create \(url.path): \(String(cString: strerror(errno)))") }
        close(fd)
    }

    /// Streams `write` into a fresh 0600 temporary file beside `url`, then renames it over `url`,
    /// so a reader never sees a half-written export. On error the temporary file is removed.
    public static func writeAtomically(to url: URL, _ write: (FileWriter) throws -> Void) throws {
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        let fd = open(temp.path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.io("cannot create \(url.path): \(String(cString: strerror(errno)))") }
        let writer = FileWriter(fd: fd)
        do {
            try write(writer)
            try writer.flush()
            guard fsync(fd) == 0, close(fd) == 0 else { throw StoreError.io("cannot write \(url.path)") }
            guard rename(temp.path, url.path) == 0 else {
                throw StoreError.io("cannot rename into \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            close(fd)
            unlink(temp.path)
            throw error
        }
    }
}

/// A small buffered writer over a file descriptor (exports can be large).
public final class FileWriter {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd; buffer.reserveCapacity(1 << 16) }

    public func write(_ string: String) throws {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { rawWrite(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw StoreError.io("write failed: \(String(cString: strerror(errno)))") }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The C `write(2)`, named apart from `FileWriter.write` so the method can call it.
private func rawWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, bytes, count) }
