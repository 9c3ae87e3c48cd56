/// Notes JSONL lines for the chart-timed-notes tests (issue 19), shared by the SQLite-only and the
/// every-backend suites: stay A (three notes, in hospital) and stay B (final DRGs, then a discharge summary).
public enum ChartNoteFixture {
    public static func note(_ caseID: String, _ id: String, _ time: String, _ text: String, type: String = "RR", extra: String = "") -> String {
        #"{"case": "\#(caseID)", "note_id": "\#(id)", "note_type": "\#(type)", "charttime": "\#(time)", "admittime": "2180-01-01 08:00:00", "text": "\#(text)"\#(extra)}"#
    }

    public static let stay = [
        note("A", "a1", "2180-01-01 09:00:00", "Heart failure exacerbation, diuresed.", type: "ED"),
        note("A", "a2", "2180-01-02 07:59:00", "Echo: reduced ejection fraction."),
        note("A", "a3", "2180-01-02 20:00:00", "Improving on furosemide.", type: "progress"),
        note("B", "b1", "2180-01-01 10:00:00", "Septic shock.", extra: #", "final_drg": "871", "final_apr_drg": "720-4""#),
        note("B", "b2", "2180-01-05 10:00:00", "Discharge summary: sepsis resolved.", type: "DS"),
    ]
}
