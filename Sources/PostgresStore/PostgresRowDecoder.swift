import PostgresNIO

/// Decodes the store's `Decodable` records (`CaseRecord`, `PredictionRecord`, `DecisionRecord`)
/// straight from a row, by their coding keys (the column names), as GRDB does for SQLite: a column
/// the record does not know is ignored, a column the row lacks is nil for an optional property.
struct PostgresRowDecoder: Decoder {
    let row: PostgresRandomAccessRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(_ type: T.Type, from row: PostgresRow) throws -> T {
        try T(from: PostgresRowDecoder(row: row.makeRandomAccess()))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Columns<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a row is not a list"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "a row is not one value"))
    }

    /// The row's columns by name.
    struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: PostgresRandomAccessRow
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { (0..<row.count).compactMap { Key(stringValue: row[$0].columnName) } }

        func contains(_ key: Key) -> Bool { row.contains(key.stringValue) }
        func decodeNil(forKey key: Key) throws -> Bool { !contains(key) || row[key.stringValue].bytes == nil }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard contains(key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [key], debugDescription: "no column \(key.stringValue)"))
            }
            return try T(from: Cell(cell: row[key.stringValue], key: key))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: [key], debugDescription: "columns are not nested"))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "columns are not lists"))
        }
        func superDecoder() throws -> any Decoder { PostgresRowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { PostgresRowDecoder(row: row) }
    }

    /// One column's value: what `String`, `Int64`, `Double`, `Bool` and the `RawRepresentable`
    /// enums (through `String`) decode from.
    struct Cell: Decoder, SingleValueDecodingContainer {
        let cell: PostgresCell
        let key: any CodingKey
        var codingPath: [any CodingKey] { [key] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "a column is one value"))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a column is one value"))
        }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { cell.bytes == nil }
        func decode(_ type: Bool.Type) throws -> Bool { try cell.decode(Bool.self) }
        func decode(_ type: String.Type) throws -> String { try cell.decode(String.self) }
        func decode(_ type: Double.Type) throws -> Double { try cell.decode(Double.self) }
        func decode(_ type: Float.Type) throws -> Float { try cell.decode(Float.self) }
        func decode(_ type: Int.Type) throws -> Int { try cell.decode(Int.self) }
        func decode(_ type: Int64.Type) throws -> Int64 { try cell.decode(Int64.self) }
        // The store's records use none of these; they are read through Int64 for completeness.
        func decode(_ type: Int8.Type) throws -> Int8 { try narrow(Int8.self) }
        func decode(_ type: Int16.Type) throws -> Int16 { try narrow(Int16.self) }
        func decode(_ type: Int32.Type) throws -> Int32 { try narrow(Int32.self) }
        func decode(_ type: UInt.Type) throws -> UInt { try narrow(UInt.self) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(UInt8.self) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(UInt16.self) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(UInt32.self) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow(UInt64.self) }

        private func narrow<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
            guard let value = T(exactly: try cell.decode(Int64.self)) else {
                throw DecodingError.dataCorruptedError(in: self, debugDescription: "\(cell.columnName) does not fit \(T.self)")
            }
            return value
        }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
    }
}
