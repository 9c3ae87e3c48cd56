/// The entries of a zip archive whose data is *stored* (not compressed), located in place — what
/// `torch.save` writes since PyTorch 1.6 (`archive/data.pkl`, `archive/data/0`, …, each data entry
/// aligned to 64 bytes so it can be memory-mapped).
///
/// Format: PKWARE APPNOTE.TXT. The end-of-central-directory record (and, for archives over 4 GB or
/// 65,535 entries, its ZIP64 twin) gives the central directory; each central entry gives the name,
/// method, sizes and the local header's offset; the data follows the local header's name and extra
/// field. Sizes and offsets of 0xFFFFFFFF are read from the ZIP64 extra field.
///
/// Contract: every offset and size is checked against the buffer before it is used; a compressed
/// entry is listed (so a reader can say which one) but ``data(of:)`` refuses it. CRCs are not checked
/// (that would read every weight byte at load; the tensor reader checks sizes instead). Does not:
/// decompress, read encrypted or multi-disk archives.
public struct ZipArchive: Sendable {
    public struct Entry: Sendable {
        public var name: String
        /// 0 = stored; anything else is compressed.
        public var method: Int
        public var compressedSize: Int
        public var size: Int
        /// Offset of the entry's local header.
        public var localHeaderOffset: Int
    }

    public let buffer: ByteBuffer
    public let entries: [String: Entry]
    /// Entry names in central-directory order.
    public let names: [String]

    public init(buffer: ByteBuffer) throws(ZipError) {
        self.buffer = buffer
        let bytes = UnsafeRawBufferPointer(start: buffer.base, count: buffer.count)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
        func within(_ offset: Int, _ count: Int) -> Bool { offset >= 0 && count >= 0 && offset <= bytes.count - count }

        // End of central directory: 22 bytes + a comment of up to 65,535 bytes, searched backwards.
        guard bytes.count >= 22 else { throw .malformed("\(bytes.count) bytes is too short for a zip archive") }
        var eocd = -1
        var at = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while at >= lowest {
            if u32(at) == 0x0605_4B50 { eocd = at; break }
            at -= 1
        }
        guard eocd >= 0 else { throw .malformed("no end-of-central-directory record (not a zip archive, or truncated)") }
        var count = u16(eocd + 10)
        var directorySize = u32(eocd + 12)
        var directoryOffset = u32(eocd + 16)
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            let locator = eocd - 20
            guard within(locator, 20), u32(locator) == 0x0706_4B50 else { throw .malformed("ZIP64 fields without a ZIP64 locator") }
            let record = u64(locator + 8)
            guard record <= UInt64(bytes.count - 56), u32(Int(record)) == 0x0606_4B50 else {
                throw .malformed("the ZIP64 end-of-central-directory record is outside the file")
            }
            let r = Int(record)
            let (entries64, size64, offset64) = (u64(r + 32), u64(r + 40), u64(r + 48))
            guard entries64 <= UInt64(bytes.count), size64 <= UInt64(bytes.count), offset64 <= UInt64(bytes.count) else {
                throw .malformed("ZIP64 directory fields exceed the file")
            }
            count = Int(entries64); directorySize = Int(size64); directoryOffset = Int(offset64)
        }
        guard within(directoryOffset, directorySize) else { throw .malformed("the central directory lies outside the file (truncated?)") }

        var entries: [String: Entry] = [:]
        var names: [String] = []
        var cursor = directoryOffset
        let end = directoryOffset + directorySize
        for _ in 0..<count {
            guard cursor <= end - 46, u32(cursor) == 0x0201_4B50 else { throw .malformed("central directory entry \(names.count) is damaged") }
            let method = u16(cursor + 10)
            var compressed = u32(cursor + 20), size = u32(cursor + 24)
            let nameLength = u16(cursor + 28), extraLength = u16(cursor + 30), commentLength = u16(cursor + 32)
            var local = u32(cursor + 42)
            guard cursor + 46 + nameLength + extraLength + commentLength <= end else {
                throw .malformed("central directory entry \(names.count) runs past the directory")
            }
            let nameBytes = UnsafeRawBufferPointer(rebasing: bytes[(cursor + 46)..<(cursor + 46 + nameLength)])
            guard let name = String(validating: nameBytes, as: UTF8.self) else { throw .malformed("an entry name is not UTF-8") }
            // ZIP64 extra field (id 1): the 64-bit values of the fields that are 0xFFFFFFFF, in order.
            var extra = cursor + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = u16(extra), length = u16(extra + 2)
                guard extra + 4 + length <= extraEnd else { break }
                if id == 1 {
                    var field = extra + 4
                    func next() throws(ZipError) -> Int {
                        guard field + 8 <= extra + 4 + length else { throw .malformed("\(name): short ZIP64 extra field") }
                        let value = u64(field); field += 8
                        guard value <= UInt64(bytes.count) else { throw .malformed("\(name): ZIP64 size exceeds the file") }
                        return Int(value)
                    }
                    if size == 0xFFFF_FFFF { size = try next() }
                    if compressed == 0xFFFF_FFFF { compressed = try next() }
                    if local == 0xFFFF_FFFF { local = try next() }
                }
                extra += 4 + length
            }
            guard entries[name] == nil else { throw .malformed("entry \(name) appears twice") }
            entries[name] = Entry(name: name, method: method, compressedSize: compressed, size: size, localHeaderOffset: local)
            names.append(name)
            cursor += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
        self.names = names
    }

    /// The offset and length of a stored entry's bytes, checked to lie inside the file.
    public func dataRange(of name: String) throws(ZipError) -> Range<Int> {
        guard let entry = entries[name] else { throw .missing(name) }
        guard entry.method == 0 else { throw .malformed("\(name) is compressed (method \(entry.method)); torch.save stores entries") }
        guard entry.compressedSize == entry.size else { throw .malformed("\(name): stored sizes disagree") }
        let bytes = UnsafeRawBufferPointer(start: buffer.base, count: buffer.count)
        let local = entry.localHeaderOffset
        guard local >= 0, local <= bytes.count - 30,
              bytes.loadUnaligned(fromByteOffset: local, as: UInt32.self).littleEndian == 0x0403_4B50 else {
            throw .malformed("\(name): its local header is missing or outside the file")
        }
        let nameLength = Int(bytes[local + 26]) | Int(bytes[local + 27]) << 8
        let extraLength = Int(bytes[local + 28]) | Int(bytes[local + 29]) << 8
        let start = local + 30 + nameLength + extraLength
        guard start <= bytes.count, entry.size <= bytes.count - start else {
            throw .malformed("\(name): \(entry.size) bytes at offset \(start) run past the end of the file (truncated)")
        }
        return start..<(start + entry.size)
    }

    /// A stored entry's bytes, in place.
    public func data(of name: String) throws(ZipError) -> UnsafeRawBufferPointer {
        let range = try dataRange(of: name)
        return UnsafeRawBufferPointer(start: buffer.base + range.lowerBound, count: range.count)
    }
}

public enum ZipError: Error, CustomStringConvertible, Equatable, Sendable {
    case malformed(String)
    case missing(String)

    public var description: String {
        switch self {
        case .malformed(let reason): return reason
        case .missing(let name): return "no entry \(name)"
        }
    }
}
