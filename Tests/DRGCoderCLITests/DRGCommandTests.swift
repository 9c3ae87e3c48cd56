import Foundation
import Testing
@testable import DRGCoderCLI

/// `drgcoder drg ...`: parsed from the root command as a user types it, then run through `output()`.
@Suite struct DRGCommandTests {
    func output(_ arguments: [String]) throws -> String {
        let command = try DRGCoder.parseAsRoot(arguments)
        switch command {
        case let show as DRGShowCommand: return try show.output()
        case let search as DRGSearchCommand: return try search.output()
        case let list as DRGListCommand: return try list.output()
        case let families as DRGFamiliesCommand: return try families.output()
        default: throw CLIError("not a drg subcommand: \(type(of: command))")
        }
    }

    func json(_ arguments: [String]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try output(arguments).utf8))
    }

    @Test func showReportsTheFY2026Weights() throws {
        let hf = try #require(try json(["drg", "show", "291", "--version", "43", "--json"]) as? [String: Any])
        #expect(hf["weight"] as? Double == 1.2838)
        #expect(hf["base_drg"] as? String == "HEART FAILURE AND SHOCK")
        #expect(hf["cc_mcc"] as? String == "with MCC" && hf["family"] as? String == "three-way")
        let siblings = try #require(hf["siblings"] as? [[String: Any]])
        #expect(siblings.map { $0["drg"] as? String } == ["291", "292", "293"])
        let transplant = try #require(try json(["drg", "show", "001", "--json"]) as? [String: Any])
        #expect(transplant["weight"] as? Double == 28.0239)
        #expect(transplant["gmlos"] as? Double == 25.8 && transplant["mdc"] as? String == "PRE")
    }

    @Test func showText() throws {
        let text = try output(["drg", "show", "1"])
        #expect(text.hasPrefix("DRG 001  HEART TRANSPLANT OR IMPLANT OF HEART ASSIST SYSTEM WITH MCC"))
        #expect(text.contains("weight 28.0239"))
        #expect(text.contains("$168,143.40 expected at a base rate of $6,000.00"))
        #expect(text.contains("Family     MCC vs CC/none"))
        let tia = try output(["drg", "show", "69", "--version", "34"])
        #expect(tia.contains("DRG-LLaMA  single-label 54") && tia.contains("two-label base 25, class 4"))
        #expect(!tia.contains("weight"))
    }

    @Test func unknownCodesAndVersionsAreOneLineErrors() throws {
        #expect(throws: CLIError.self) { try output(["drg", "show", "999x"]) }
        #expect(throws: CLIError.self) { try output(["drg", "show", "015", "--version", "34"]) }
        #expect(try output(["drg", "list", "--version", "v34"]) == output(["drg", "list", "--version", "34"]))   // "v34" is taken too
        do {
            _ = try output(["drg", "show", "291", "--version", "35"])
            Issue.record("version 35 was accepted")
        } catch {
            #expect(DRGCoder.message(for: error) == "The value '35' is invalid for '--version <version>'. Please provide one of '34' and '43'.")
        }
        #expect(throws: CLIError.self) { try output(["drg", "search", "zzzzqqq"]) }
        #expect(throws: (any Error).self) { try DRGCoder.parseAsRoot(["drg", "search"]) }
    }

    @Test func searchRanks() throws {
        #expect(try output(["drg", "search", "hart", "failure", "mcc"]).hasPrefix("291 "))
        let sepsis = try #require(try json(["drg", "search", "sepsis", "w", "mv", "--json", "--limit", "3"]) as? [String: Any])
        let results = try #require(sepsis["results"] as? [[String: Any]])
        #expect(results.count == 3 && results.first?["drg"] as? String == "870")
        #expect(sepsis["query"] as? String == "sepsis w mv")
    }

    @Test func listCarriesDRGLlamaIndicesOnV34() throws {
        let rows = try #require(try json(["drg", "list", "--version", "34", "--json"]) as? [[String: Any]])
        #expect(rows.count == 757)
        #expect(rows.filter { $0["single_label"] != nil }.count == 738)
        let bases = Set(rows.compactMap { ($0["two_label"] as? [String: Any])?["base"] as? Int })
        #expect(bases == Set(0..<340))
        let v43 = try output(["drg", "list"]).split(separator: "\n")
        #expect(v43.count == 772 && v43.first?.hasPrefix("001") == true)
    }

    @Test func familiesCounts() throws {
        let text = try output(["drg", "families", "--version", "34"])
        #expect(text.contains("three-way         154") && text.contains("no split           77"))
        let v34 = try #require(try json(["drg", "families", "--version", "34", "--json"]) as? [String: Any])
        let families = try #require(v34["families"] as? [[String: Any]])
        let counts = Dictionary(uniqueKeysWithValues: families.compactMap { f in
            (f["family"] as? String).map { ($0, f["bases"] as? Int ?? -1) }
        })
        #expect(counts == ["three-way": 154, "MCC/CC vs none": 43, "MCC vs CC/none": 66, "no split": 77])
        #expect(v34["bases"] as? Int == 340 && v34["drgs"] as? Int == 757)
    }
}
