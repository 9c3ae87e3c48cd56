import DRGKit
import Foundation
import Testing
import TestSupport
@testable import CodingStore

/// Final APR-DRGs from MIMIC-IV drgcodes.csv (issue 19): kept apart from the MS-DRGs, as the
/// repository's `getAPR` reads them.
@Suite struct APRDRGCodesTests {
    @Test func aprRowsGiveTheHighestSeverityOfOneBaseAndNothingForTwoBases() throws {
        let url = try TemporaryDirectory(prefix: "apr").file("drgcodes.csv")
        try """
            subject_id,hadm_id,drg_type,drg_code,description,drg_severity,drg_mortality
            1,11,HCFA,291,HEART FAILURE & SHOCK W MCC,,
            1,11,APR,194,HEART FAILURE,3,2
            1,11,APR,194,HEART FAILURE,4,3
            2,22,APR,194,HEART FAILURE,2,1
            2,22,APR,720,SEPTICEMIA,1,1
            3,33,APR,5,LIVER TRANSPLANT,,
            4,44,APR,5,LIVER TRANSPLANT,1,1
            """.write(to: url, atomically: true, encoding: .utf8)
        let mapping = try DRGCodesMapping.load(drgcodes: url)
        #expect(mapping.aprByAdmission == ["11": "194-4", "44": "005-1"])
        #expect(mapping.aprRows == 6 && mapping.aprRowsWithoutSeverity == 1 && mapping.aprConflictingAdmissions == 1)
        #expect(mapping.byAdmission == ["11": "291"])
        #expect(["194 4", "5-1", "291", "194-5"].map(APRDRGCode.normalized) == ["194-4", "005-1", nil, nil])
    }
}
