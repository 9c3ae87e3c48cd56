import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file front to back in fixed-size chunks, one byte at a time, without ever holding more
/// than one chunk (1 MiB by default). The base of the streaming CSV and JSONL readers.
final class ByteStream {
    private let fd: Int32
    private var chunk: [UInt8]
    private var index = 0
    private var count = 0
    private var atEnd = false
    /// Bytes handed out so far (for progress).
    private(set) var consumed: Int64 = 0
    let fileSize: Int64

    init(url: URL, chunkSize: Int = 1 << 20) throws {
        fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io("cannot open \(url.path): \(String(cString: strerror(errno)))") }
        var info = stat()
        fileSize = fstat(fd, &info) == 0 ? Int64(info.st_size) : 0
        chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit { close(fd) }

    /// The next byte without consuming it; nil at end of file.
    @inline(__always) func peek() -> UInt8? {
        if index == count && !refill() { return nil }
        return chunk[index]
    }

    /// The next byte, consumed; nil at end of file.
    @inline(__always) func next() -> UInt8? {
        if index == count && !refill() { return nil }
        let byte = chunk[index]
        index += 1
        consumed += 1
        return byte
    }

    private func refill() -> Bool {
        guard !atEnd else { return false }
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { atEnd = true; return false }
        index = 0
        count = n
        return true
    }
}
