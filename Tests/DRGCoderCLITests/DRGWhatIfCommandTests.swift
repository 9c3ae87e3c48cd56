import Foundation
import Testing
@testable import DRGCoderCLI

/// `drgcoder drg whatif`: parsed as a user types it, then run through `output()`.
@Suite struct DRGWhatIfCommandTests {
    func output(_ arguments: [String]) throws -> String {
        guard let command = try DRGCoder.parseAsRoot(["drg", "whatif"] + arguments) as? DRGWhatIfCommand else {
            throw CLIError("not drg whatif")
        }
        return try command.output()
    }

    @Test func jsonNamesTheDRGTheWeightAndEverySecondary() throws {
        let text = try output(["--version", "43", "--pdx", "J18.9", "--sdx", "I50.21", "--sdx", "E11.9", "--drg", "195", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["drg"] as? String == "193" && object["weight"] as? Double == 1.3144)
        // Against DRG 195 (0.6285): +0.6859 in weight, +$4,115.40 at the $6,000 illustrative base rate.
        #expect(object["given_drg"] as? String == "195" && object["payment"] as? Double == 7886.4)
        #expect(object["weight_difference"] as? Double == 0.6859 && object["payment_difference"] as? Double == 4115.4)
        #expect(object["because"] as? String == "MCC because of I50.21 Acute systolic (congestive) heart failure")
        let secondary = try #require(object["secondary"] as? [[String: Any]])
        #expect(secondary.map { $0["code"] as? String } == ["I50.21", "E11.9"])
        #expect(secondary.map { $0["level"] as? String } == ["MCC", "none"])
        #expect(secondary.map { $0["counts"] as? Bool } == [true, false])
        #expect(secondary[1]["reason"] as? String == "not a CC or MCC")
    }

    @Test func expiredAndExcludedSecondariesAreExplained() throws {
        let text = try output(["--pdx", "I21.4", "--sdx", "I46.9", "--expired", "--drg", "280"])
        #expect(text.hasPrefix("DRG 285  ACUTE MYOCARDIAL INFARCTION, EXPIRED WITHOUT CC/MCC"))
        #expect(text.contains("against DRG 280"))
        #expect(text.contains("does not count: counts only if discharged alive; the patient expired"))
        let surgical = try output(["--pdx", "K35.80", "--drg", "399"])
        #expect(surgical.contains("caution: this family also depends on procedures; assumed absent"))
    }

    @Test func badCodesAndVersionsAreOneLine() throws {
        do {
            _ = try output(["--pdx", "J18.9", "--sdx", "4280", "--drg", "195"])
            Issue.record("ICD-9 accepted")
        } catch let error as CLIError {
            #expect(error.description == "'4280' looks like an ICD-9-CM diagnosis code; ICD-10-CM is needed")
        }
        #expect(throws: CLIError.self) { try output(["--pdx", "J18.9", "--drg", "2000"]) }
        #expect(throws: (any Error).self) { try DRGCoder.parseAsRoot(["drg", "whatif", "--version", "34", "--pdx", "J189", "--drg", "195"]) }
    }
}

/// `drgcoder drg codes`: ICD-10-CM suggestions for words.
@Suite struct DRGCodesCommandTests {
    @Test func suggestionsForWordsAndPrefixes() throws {
        let command = try #require(try DRGCoder.parseAsRoot(["drg", "codes", "typhoid", "myocarditis", "--limit", "1"]) as? DRGCodesCommand)
        #expect(try command.output() == "A01.02   Typhoid fever with heart involvement  (includes: Typhoid myocarditis)")
        let none = try #require(try DRGCoder.parseAsRoot(["drg", "codes", "zzzzqqqq"]) as? DRGCodesCommand)
        #expect(throws: CLIError.self) { try none.output() }
    }
}

/// `drgcoder decide --pdx/--sdx/--pcs`: the confirmed codes, checked before anything is written.
@Suite struct DecideCodesTests {
    @Test func confirmedCodesAreCheckedICD10() throws {
        let base = ["decide", "--db", "/tmp/x.sqlite", "--case", "c-1", "--accept", "--user", "bob"]
        let good = try #require(try DRGCoder.parseAsRoot(base + ["--pdx", "J18.9", "--sdx", "J96.01", "--pcs", "5A1955Z"]) as? DecideCommand)
        #expect(try good.confirmedCodes().map { "\($0.kind.rawValue):\($0.code)" } == ["pdx:J189", "sdx:J9601", "pcs:5A1955Z"])
        let bad = try #require(try DRGCoder.parseAsRoot(base + ["--sdx", "4280"]) as? DecideCommand)
        #expect(throws: (any Error).self) { try bad.confirmedCodes() }
    }
}
