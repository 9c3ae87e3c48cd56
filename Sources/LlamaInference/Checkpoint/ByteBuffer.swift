import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only bytes that outlive every tensor view into them: a memory-mapped file or an owned copy.
///
/// Weights are never copied out of a mapped checkpoint unless they must be (misaligned f32, LoRA
/// targets): a 7B f16 checkpoint stays 13.5 GB of page cache, paged in as the forward pass touches it.
///
/// Thread safety: immutable after `init`; `@unchecked Sendable` because the raw pointer is only read.
/// Does not: write, grow, or watch the file (a file changed underneath a mapping is undefined, as
/// for any mmap).
public final class ByteBuffer: @unchecked Sendable {
    public let base: UnsafeRawPointer
    public let count: Int
    private let release: @Sendable (UnsafeRawPointer, Int) -> Void
    /// Whether the bytes are a file mapping (pages can be handed back and re-read from the file).
    private let isMapped: Bool

    /// Maps `url` read-only (`MAP_PRIVATE`). An empty file becomes a zero-length buffer.
    public init(mapping url: URL) throws {
        let path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw LoadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw LoadError.unreadable(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        if size == 0 {
            let empty = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 16)
            base = UnsafeRawPointer(empty); count = 0
            release = { pointer, _ in UnsafeMutableRawPointer(mutating: pointer).deallocate() }
            isMapped = false
            return
        }
        let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw LoadError.unreadable(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped); count = size
        release = { pointer, size in munmap(UnsafeMutableRawPointer(mutating: pointer), size) }
        isMapped = true
    }

    /// Copies `data` into a 64-byte-aligned buffer (tests, fuzzing, small adapters).
    public init(copying data: Data) {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(data.count, 1), alignment: 64)
        data.withUnsafeBytes { raw in
            if let source = raw.baseAddress, raw.count > 0 { storage.copyMemory(from: source, byteCount: raw.count) }
        }
        base = UnsafeRawPointer(storage); count = data.count
        release = { pointer, _ in UnsafeMutableRawPointer(mutating: pointer).deallocate() }
        isMapped = false
    }

    /// Tells the kernel the whole pages inside `pointer ..< pointer + byteCount` will not be read again
    /// (`MADV_DONTNEED`), so they leave this process's resident set; a later read would fetch them from
    /// the file again. Only for a mapping (an owned copy is left alone: there the call would zero it).
    /// For weights quantized at load (``WeightFormat/q8``), whose stored bytes are read once.
    func releasePages(_ pointer: UnsafeRawPointer, byteCount: Int) {
        guard isMapped, pointer >= base, pointer + byteCount <= base + count else { return }
        let page = Int(getpagesize())
        let start = (Int(bitPattern: pointer) + page - 1) / page * page
        let end = (Int(bitPattern: pointer) + byteCount) / page * page
        if start < end { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_DONTNEED) }
    }

    deinit { release(base, count) }
}
