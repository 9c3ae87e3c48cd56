import Testing
import TerminalUI
@testable import ReviewApp

/// Issue 16: a DRG title is never cut where it differs from its siblings.
@Suite struct DRGTitleTests {
    static let chemo = ["CHEMOTHERAPY WITHOUT ACUTE LEUKEMIA AS SECONDARY DIAGNOSIS WITH MCC",
                        "CHEMOTHERAPY WITHOUT ACUTE LEUKEMIA AS SECONDARY DIAGNOSIS WITH CC OR HIGH DOSE CHEMOTHERAPY AGENT",
                        "CHEMOTHERAPY WITHOUT ACUTE LEUKEMIA AS SECONDARY DIAGNOSIS WITHOUT CC/MCC"]
    static let hip = ["MAJOR HIP AND KNEE JOINT REPLACEMENT OR REATTACHMENT OF LOWER EXTREMITY WITH MCC OR TOTAL ANKLE REPLACEMENT",
                      "MAJOR HIP AND KNEE JOINT REPLACEMENT OR REATTACHMENT OF LOWER EXTREMITY WITHOUT MCC"]
    static let sepsis = ["SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITH MCC",
                         "SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITHOUT MCC"]

    @Test(arguments: [12, 20, 28, 29, 40, 60])
    func siblingsStayApartAtEveryWidth(width: Int) {
        for family in [Self.chemo, Self.hip, Self.sepsis, FakeCatalog.entries.filter { $0.base == "HEART FAILURE AND SHOCK" }.map(\.description)] {
            let fitted = family.map { title in DRGTitle.fit(title, siblings: family.filter { $0 != title }, width: width) }
            #expect(Set(fitted).count == family.count, "siblings look alike at \(width): \(fitted)")
            #expect(fitted.allSatisfy { TextWidth.columns(of: $0) <= width })
        }
    }

    @Test func abbreviatesBeforeCuttingAndKeepsTheQualifier() {
        #expect(DRGTitle.fit("HEART FAILURE AND SHOCK WITHOUT CC/MCC", width: 40) == "HEART FAILURE AND SHOCK WITHOUT CC/MCC")
        #expect(DRGTitle.fit("HEART FAILURE AND SHOCK WITHOUT CC/MCC", width: 32) == "HEART FAILURE & SHOCK W/O CC/MCC")
        #expect(DRGTitle.fit("HEART FAILURE AND SHOCK WITHOUT CC/MCC", width: 29) == "HEART FAILURE & S… W/O CC/MCC")
        #expect(DRGTitle.fit("SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITH MCC", siblings: [Self.sepsis[1]], width: 28)
                == "SEPTICEMIA OR SEVERE… W MCC")
        #expect(DRGTitle.fit(Self.chemo[0], width: 40).hasSuffix("W MCC"))     // no siblings: the last W… is kept
    }
}
