/// A minimal protocol-buffers wire-format reader: enough to walk a SentencePiece `ModelProto`.
///
/// Reads tags, varints, fixed 32/64-bit values and length-delimited fields; skips unknown fields.
/// Every read is bounds-checked and throws on truncation, so a corrupt file cannot trap.
/// Reference: https://protobuf.dev/programming-guides/encoding/
struct ProtobufReader {
    enum WireType: UInt8 { case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5 }

    struct Field {
        let number: Int
        let wireType: WireType
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var isAtEnd: Bool { index >= bytes.endIndex }

    private func failure(_ message: String) -> TokenizerError {
        .invalidSentencePieceModel("\(message) at byte \(index)")
    }

    mutating func readField() throws(TokenizerError) -> Field {
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else { throw failure("unsupported wire type \(key & 7)") }
        let number = key >> 3
        guard number > 0, number < 1 << 29 else { throw failure("invalid field number") }
        return Field(number: Int(number), wireType: wireType)
    }

    mutating func readVarint() throws(TokenizerError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw failure("truncated varint") }
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw failure("varint too long") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func readFixed32() throws(TokenizerError) -> UInt32 {
        guard bytes.endIndex - index >= 4 else { throw failure("truncated fixed32") }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(bytes[index + offset]) << (8 * UInt32(offset)) }
        index += 4
        return value
    }

    mutating func readLengthDelimited() throws(TokenizerError) -> ArraySlice<UInt8> {
        let length = try readVarint()
        guard length <= UInt64(bytes.endIndex - index) else { throw failure("length \(length) runs past the end") }
        let slice = bytes[index..<(index + Int(length))]
        index += Int(length)
        return slice
    }

    mutating func readString() throws(TokenizerError) -> String {
        let slice = try readLengthDelimited()
        guard let text = String(validating: slice, as: UTF8.self) else { throw failure("invalid UTF-8 in a string") }
        return text
    }

    mutating func readFloat() throws(TokenizerError) -> Float { Float(bitPattern: try readFixed32()) }

    mutating func skip(_ field: Field) throws(TokenizerError) {
        switch field.wireType {
        case .varint: _ = try readVarint()
        case .fixed64:
            guard bytes.endIndex - index >= 8 else { throw failure("truncated fixed64") }
            index += 8
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try readFixed32()
        }
    }
}
