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

    /// Takes group and other permissions off an existing database file (and its `-wal` / `-shm`),
    /// which an older version, a copy or a restore may have left 0644: note text is PHI. Returns the
    /// paths it tightened; a file owned by someone else is left alone.
    @discardableResult
    public static func tighten(databaseAt url: URL) -> [String] {
        var tightened: [String] = []
        for path in [url.path, url.path + "-wal", url.path + "-shm"] {
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
                  info.st_mode & 0o077 != 0 else { continue }
            if chmod(path, info.st_mode & 0o700) == 0 { tightened.append(path) }
        }
        return tightened
    }

    /// Streams `write` into a fresh 0600 temporary file beside `url` (`.NAME.PID.partial`), then
    /// renames it over `url`, so a reader never sees a half-written export. `url` must be a new
    /// path or a regular file: a symlink, FIFO, device or directory is refused (renaming over it
    /// would replace, say, `/dev/full` with a file of notes). On error the temporary file is removed;
    /// partial files that killed earlier runs left for the same name are removed first.
    public static func writeAtomically(to url: URL, _ write: (FileWriter) throws -> Void) throws {
        try refuseUnlessRegularOrNew(url)
        removeStalePartials(of: url)
        let temp = partialURL(of: url, pid: getpid())
        let fd = open(temp.path, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.io("cannot create \(temp.path): \(String(cString: strerror(errno)))") }
        let writer = FileWriter(fd: fd)
        do {
            try write(writer)
            try writer.flush()
            guard fsync(fd) == 0, close(fd) == 0 else { throw StoreError.io("cannot write \(url.path)") }
            try refuseUnlessRegularOrNew(url)   // not swapped for a FIFO or a link while we wrote
            guard rename(temp.path, url.path) == 0 else {
                throw StoreError.io("cannot rename into \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            close(fd)
            unlink(temp.path)
            throw error
        }
    }

    static func partialURL(of url: URL, pid: Int32) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(pid).partial")
    }

    /// Throws unless nothing exists at `url` or it is a regular file (not followed if a symlink).
    static func refuseUnlessRegularOrNew(_ url: URL) throws {
        var info = stat()
        guard lstat(url.path, &info) == 0 else {
            if errno == ENOENT { return }
            throw StoreError.io("cannot inspect \(url.path): \(String(cString: strerror(errno)))")
        }
        let kind = info.st_mode & S_IFMT
        guard kind != S_IFREG else { return }
        let what: String
        switch kind {
        case S_IFLNK: what = "a symbolic link"
        case S_IFIFO: what = "a FIFO"
        case S_IFCHR, S_IFBLK: what = "a device"
        case S_IFDIR: what = "a directory"
        default: what = "not a regular file"
        }
        throw StoreError.invalid("refusing to write to \(url.path): it is \(what); give a new path or a regular file")
    }

    /// Removes `.NAME.PID.partial` files beside `url` whose process is gone (killed exports).
    static func removeStalePartials(of url: URL) {
        let dir = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".partial") {
            let middle = name.dropFirst(prefix.count).dropLast(".partial".count)
            guard let pid = Int32(middle), pid > 0 else { continue }
            if pid != getpid() && (kill(pid, 0) == 0 || errno != ESRCH) { continue }   // still running (or not ours to probe)
            let path = dir.appendingPathComponent(name).path
            var info = stat()
            if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { unlink(path) }
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
