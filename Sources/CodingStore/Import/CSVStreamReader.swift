import Foundation

/// One record of a CSV file, its fields decoded as UTF-8, and the line it starts on (1-based; the
/// header is line 1).
public struct CSVRecord: Sendable, Equatable {
    public var fields: [String]
    public var line: Int
}

/// A record the reader could not make sense of. The reader has already moved past it.
public struct CSVRecordProblem: Error, Sendable, Equatable {
    public var line: Int
    /// The 0-based field that was bad, when one field is to blame.
    public var field: Int?
    public var reason: String
}

/// A streaming RFC 4180 reader written for MIMIC-IV `discharge.csv` (over 1 GB, notes with
/// newlines inside quoted fields). It reads the file in 1 MiB chunks and yields one record at a time.
///
/// ```swift
/// let reader = try CSVStreamReader(url: url)
/// while let result = reader.next() {
///     switch result {
///     case .success(let record): print(record.line, record.fields.count)
///     case .failure(let problem): print("line \(problem.line): \(problem.reason)")
///     }
/// }
/// ```
///
/// Contract: fields are separated by `,`, records by LF or CRLF; a field that starts with `"` is
/// quoted, may contain commas, newlines and `""` (one quote), and ends at a `"` followed by a
/// comma, a line end or the end of the file. A leading UTF-8 byte-order mark is skipped; blank lines
/// are skipped. Every record starts on a known line.
///
/// Bad records are reported and skipped, and reading goes on with the next record:
/// - a field that is not valid UTF-8 (the bytes are checked per field, never replaced);
/// - text after a closing quote (`"abc"x,`): the rest of that physical line is skipped;
/// - a quoted field still open at the end of the file (it swallowed the rest of the file, so this
///   is necessarily the last record).
///
/// Why not yaslab/CSV.swift: its reader decodes the whole stream through one Unicode iterator, and the
/// first invalid UTF-8 byte sets `error` and ends iteration for the rest of the file; it does not
/// report the line a record starts on; and it accepts text after a closing quote and an unclosed
/// quote at end of file silently. The import contract needs all three.
///
/// It deliberately does not: guess delimiters, trim whitespace, or treat an unquoted `"` specially
/// (it is kept as text).
public final class CSVStreamReader {
    private let bytes: ByteStream
    private var line = 1
    private var started = false

    public init(url: URL) throws { bytes = try ByteStream(url: url) }

    /// Bytes read so far and the file's size, for progress bars.
    public var bytesRead: Int64 { bytes.consumed }
    public var fileSize: Int64 { bytes.fileSize }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// The next record or problem; nil at the end of the file.
    public func next() -> Result<CSVRecord, CSVRecordProblem>? {
        if !started { skipByteOrderMark(); started = true }
        while true {
            guard bytes.peek() != nil else { return nil }
            let startLine = line
            var fields: [[UInt8]] = []
            var field: [UInt8] = []
            var problem: String?
            var endOfRecord = false
            while !endOfRecord {
                if bytes.peek() == Self.quote {
                    _ = bytes.next()
                    var closed = false
                    while let b = bytes.next() {
                        if b == Self.quote {
                            if bytes.peek() == Self.quote { _ = bytes.next(); field.append(Self.quote); continue }
                            closed = true
                            break
                        }
                        if b == Self.lf { line += 1 }
                        field.append(b)
                    }
                    guard closed else {
                        problem = "a quoted field opened on line \(startLine) is never closed"
                        fields.append(field)
                        break
                    }
                    switch bytes.next() {
                    case Self.comma?: fields.append(field); field = []
                    case Self.lf?: line += 1; fields.append(field); endOfRecord = true
                    case Self.cr?:
                        if bytes.peek() == Self.lf { _ = bytes.next() }
                        line += 1; fields.append(field); endOfRecord = true
                    case nil: fields.append(field); endOfRecord = true
                    default:
                        problem = "text after a closing quote in field \(fields.count + 1)"
                        while let b = bytes.next(), b != Self.lf {}
                        line += 1
                        endOfRecord = true
                    }
                } else {
                    while true {
                        guard let b = bytes.next() else { fields.append(field); endOfRecord = true; break }
                        if b == Self.comma { fields.append(field); field = []; break }
                        if b == Self.lf { line += 1; fields.append(field); endOfRecord = true; break }
                        if b == Self.cr && bytes.peek() == Self.lf {
                            _ = bytes.next(); line += 1; fields.append(field); endOfRecord = true; break
                        }
                        field.append(b)
                    }
                }
            }
            if let problem { return .failure(CSVRecordProblem(line: startLine, field: nil, reason: problem)) }
            if fields.count == 1 && fields[0].isEmpty { continue }  // a blank line
            var decoded: [String] = []
            decoded.reserveCapacity(fields.count)
            for (index, raw) in fields.enumerated() {
                guard let text = String(validating: raw, as: UTF8.self) else {
                    return .failure(CSVRecordProblem(line: startLine, field: index, reason: "field \(index + 1) is not valid UTF-8"))
                }
                decoded.append(text)
            }
            return .success(CSVRecord(fields: decoded, line: startLine))
        }
    }

    private func skipByteOrderMark() {
        guard bytes.peek() == 0xEF else { return }
        _ = bytes.next()
        if bytes.peek() == 0xBB { _ = bytes.next() }
        if bytes.peek() == 0xBF { _ = bytes.next() }
    }
}

/// Lines of a file (LF or CRLF), each checked as UTF-8, for JSONL.
public final class LineStreamReader {
    private let bytes: ByteStream
    private var line = 0

    public init(url: URL) throws { bytes = try ByteStream(url: url) }
    public var bytesRead: Int64 { bytes.consumed }
    public var fileSize: Int64 { bytes.fileSize }

    /// The next line (without its terminator) and its 1-based number; a failure for invalid UTF-8.
    public func next() -> Result<CSVRecord, CSVRecordProblem>? {
        guard bytes.peek() != nil else { return nil }
        line += 1
        var raw: [UInt8] = []
        while let b = bytes.next(), b != UInt8(ascii: "\n") { raw.append(b) }
        if raw.last == UInt8(ascii: "\r") { raw.removeLast() }
        guard let text = String(validating: raw, as: UTF8.self) else {
            return .failure(CSVRecordProblem(line: line, field: nil, reason: "the line is not valid UTF-8"))
        }
        return .success(CSVRecord(fields: [text], line: line))
    }
}
