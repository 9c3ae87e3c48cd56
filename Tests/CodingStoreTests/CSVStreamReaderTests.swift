import Foundation
import TestSupport
import Testing
@testable import CodingStore

@Suite("Streaming CSV reader")
struct CSVStreamReaderTests {
    func read(_ bytes: [UInt8]) throws -> [Result<CSVRecord, CSVRecordProblem>] {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("t.csv")
        try Data(bytes).write(to: url)
        let reader = try CSVStreamReader(url: url)
        var out: [Result<CSVRecord, CSVRecordProblem>] = []
        while let r = reader.next() { out.append(r) }
        #expect(reader.bytesRead == Int64(bytes.count))
        return out
    }

    func read(_ text: String) throws -> [Result<CSVRecord, CSVRecordProblem>] { try read(Array(text.utf8)) }

    @Test func quotedFieldsSpanLinesAndKeepLineNumbers() throws {
        let rows = try read("a,b\r\n1,\"x\ny, \"\"z\"\"\"\n\n2,plain\n3,\"\"\n")
        let records = rows.compactMap { try? $0.get() }
        #expect(records.map(\.fields) == [["a", "b"], ["1", "x\ny, \"z\""], ["2", "plain"], ["3", ""]])
        #expect(records.map(\.line) == [1, 2, 5, 6])
    }

    @Test func badRecordsAreReportedAndReadingGoesOn() throws {
        var bytes = Array("id,text\n1,\"ok\"\n2,\"bad \"quote\" here\n3,\"caf".utf8)
        bytes += [0xC3, 0x28]            // invalid UTF-8 sequence
        bytes += Array("\"\n4,\"multi\nline\"\n5,\"never closed\nstill open\n".utf8)
        let rows = try read(bytes)
        #expect(rows.count == 6)
        #expect((try? rows[1].get())?.fields == ["1", "ok"])
        guard case .failure(let stray) = rows[2] else { Issue.record("stray quote accepted"); return }
        #expect(stray.line == 3 && stray.reason.contains("after a closing quote"))
        guard case .failure(let utf8) = rows[3] else { Issue.record("invalid UTF-8 accepted"); return }
        #expect(utf8.line == 4 && utf8.field == 1)
        #expect((try? rows[4].get())?.fields == ["4", "multi\nline"])
        #expect((try? rows[4].get())?.line == 5)
        guard case .failure(let open) = rows[5] else { Issue.record("unclosed quote accepted"); return }
        #expect(open.line == 7 && open.reason.contains("never closed"))
    }

    @Test func byteOrderMarkAndLastLineWithoutNewline() throws {
        let rows = try read([0xEF, 0xBB, 0xBF] + Array("h\nlast".utf8))
        #expect(rows.compactMap { try? $0.get().fields } == [["h"], ["last"]])
    }
}
