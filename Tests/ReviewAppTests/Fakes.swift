import DRGKit
import Foundation
import TestSupport
@testable import ReviewApp

/// A small catalog of real v43 DRGs (weights rounded) for screens and searches.
struct FakeCatalog: DRGCatalog {
    static let entries: [CatalogEntry] = [
        CatalogEntry(code: "291", description: "HEART FAILURE AND SHOCK WITH MCC", mdc: "05", type: "MED", weight: 1.3563, base: "HEART FAILURE AND SHOCK", ccMccClass: "with MCC", family: "3-way split"),
        CatalogEntry(code: "292", description: "HEART FAILURE AND SHOCK WITH CC", mdc: "05", type: "MED", weight: 0.8936, base: "HEART FAILURE AND SHOCK", ccMccClass: "with CC", family: "3-way split"),
        CatalogEntry(code: "293", description: "HEART FAILURE AND SHOCK WITHOUT CC/MCC", mdc: "05", type: "MED", weight: 0.6330, base: "HEART FAILURE AND SHOCK", ccMccClass: "without CC/MCC", family: "3-way split"),
        CatalogEntry(code: "193", description: "SIMPLE PNEUMONIA AND PLEURISY WITH MCC", mdc: "04", type: "MED", weight: 1.3238, base: "SIMPLE PNEUMONIA AND PLEURISY", ccMccClass: "with MCC", family: "3-way split"),
        CatalogEntry(code: "194", description: "SIMPLE PNEUMONIA AND PLEURISY WITH CC", mdc: "04", type: "MED", weight: 0.8880, base: "SIMPLE PNEUMONIA AND PLEURISY", ccMccClass: "with CC", family: "3-way split"),
        CatalogEntry(code: "195", description: "SIMPLE PNEUMONIA AND PLEURISY WITHOUT CC/MCC", mdc: "04", type: "MED", weight: 0.6516, base: "SIMPLE PNEUMONIA AND PLEURISY", ccMccClass: "without CC/MCC", family: "3-way split"),
        CatalogEntry(code: "871", description: "SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITH MCC", mdc: "18", type: "MED", weight: 1.9068, base: "SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS", ccMccClass: "with MCC", family: "MCC / not MCC"),
        CatalogEntry(code: "872", description: "SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITHOUT MCC", mdc: "18", type: "MED", weight: 1.0274, base: "SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS", ccMccClass: "without MCC", family: "MCC / not MCC"),
        CatalogEntry(code: "690", description: "KIDNEY AND URINARY TRACT INFECTIONS WITHOUT MCC", mdc: "11", type: "MED", weight: 0.8052, base: "KIDNEY AND URINARY TRACT INFECTIONS", ccMccClass: "without MCC", family: "MCC / not MCC"),
        CatalogEntry(code: "470", description: "MAJOR HIP AND KNEE JOINT REPLACEMENT OR REATTACHMENT OF LOWER EXTREMITY WITHOUT MCC", mdc: "08", type: "SURG", weight: 1.9003, base: "MAJOR HIP AND KNEE JOINT REPLACEMENT", ccMccClass: "without MCC", family: "MCC / not MCC"),
        CatalogEntry(code: "392", description: "ESOPHAGITIS, GASTROENTERITIS AND MISCELLANEOUS DIGESTIVE DISORDERS WITHOUT MCC", mdc: "06", type: "MED", weight: 0.7330, base: "ESOPHAGITIS, GASTROENTERITIS AND MISC DIGESTIVE DISORDERS", ccMccClass: "without MCC", family: "MCC / not MCC"),
        CatalogEntry(code: "603", description: "CELLULITIS WITHOUT MCC", mdc: "09", type: "MED", weight: 0.8479, base: "CELLULITIS", ccMccClass: "without MCC", family: "MCC / not MCC"),
    ]

    var versionName: String { "MS-DRG v43" }
    func entry(_ code: String) -> CatalogEntry? { Self.entries.first { $0.code == code } }
    func siblings(of code: String) -> [CatalogEntry] {
        guard let base = entry(code)?.base else { return [] }
        return Self.entries.filter { $0.base == base }
    }
    func payment(forWeight weight: Double) -> Double? { weight * 6_000 }

    /// Code prefix, then words that match with at most one typo each.
    func search(_ query: String, limit: Int) -> [CatalogEntry] {
        let q = query.lowercased().split(separator: " ").map(String.init)
        guard !q.isEmpty else { return Array(Self.entries.prefix(limit)) }
        let scored = Self.entries.compactMap { e -> (CatalogEntry, Int)? in
            if e.code.hasPrefix(query) { return (e, 100) }
            let words = e.description.lowercased().split { !$0.isLetter }.map(String.init)
            let hits = q.filter { term in words.contains { $0.hasPrefix(term) || Self.distance($0, term) <= 1 } }.count
            return hits == q.count ? (e, hits) : nil
        }
        return scored.sorted { ($0.1, $1.0.code) > ($1.1, $0.0.code) }.prefix(limit).map(\.0)
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var prev = row[0]; row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return a.isEmpty ? b.count : b.isEmpty ? a.count : row[b.count]
    }
}

/// A store in memory, with the same rules as CodingStore where the screens depend on them.
final class FakeSource: ReviewDataSource, @unchecked Sendable {
    // @unchecked: the stored state is only touched under `lock` (the coordinator saves from its
    // queue while the test thread reads), through the locked accessors below.
    private let lock = NSLock()
    private var storedCases: [CaseDetail]
    private var storedLog: [LoggedDecision] = []
    private var predictions: [Int64: ScoredPrediction] = [:]
    private var storedClaims: [(CaseID, String)] = []
    let clock: FixedClock

    init(cases: [CaseDetail], clock: FixedClock) { storedCases = cases; self.clock = clock }

    /// The cases as they are now (a locked copy).
    var cases: [CaseDetail] { locked { storedCases } }
    /// The decision log as it is now (a locked copy).
    var log: [LoggedDecision] { locked { storedLog } }
    /// Every claim made, in order (a locked copy).
    var claims: [(CaseID, String)] { locked { storedClaims } }

    private func locked<T>(_ body: () throws -> T) rethrows -> T { lock.lock(); defer { lock.unlock() }; return try body() }

    func queue() throws -> [CaseSummary] { locked { storedCases.map(\.summary) } }
    func detail(of id: CaseID) throws -> CaseDetail {
        try locked {
            guard let c = storedCases.first(where: { $0.summary.id == id }) else { throw FakeError("no case \(id)") }
            return c
        }
    }
    func claimNext(user: String) throws -> CaseID? {
        locked {
            guard let i = storedCases.firstIndex(where: { $0.summary.status == .queued }) else { return nil }
            storedCases[i].summary.status = .inProgress; storedCases[i].summary.claimHolder = user
            storedClaims.append((storedCases[i].summary.id, user))
            return storedCases[i].summary.id
        }
    }
    func claim(_ id: CaseID, user: String) throws {
        locked {
            if let i = storedCases.firstIndex(where: { $0.summary.id == id }) {
                storedCases[i].summary.status = .inProgress; storedCases[i].summary.claimHolder = user
                storedClaims.append((id, user))
            }
        }
    }
    func record(_ d: DecisionDraft) throws -> LoggedDecision {
        try locked {
            guard let i = storedCases.firstIndex(where: { $0.summary.id == d.caseID }) else { throw FakeError("no case") }
            let top = storedCases[i].prediction?.top?.drg
            var chosen: String?
            var reverses: Int64?
            switch d.kind {
            case .accept:
                guard let top else { throw FakeError("nothing to accept") }
                chosen = top
            case .override:
                guard let drg = d.drg, drg != top else { throw FakeError("bad override") }
                chosen = drg
            case .defer, .flag: break
            case .undo:
                guard let target = DecisionLog.undoable(storedLog, caseID: d.caseID) else { throw FakeError("nothing to undo") }
                reverses = target.seq
            }
            let row = LoggedDecision(seq: Int64(storedLog.count + 1), caseID: d.caseID, caseExternalID: storedCases[i].summary.externalID,
                                     user: d.user, kind: d.kind, chosenDRG: chosen, modelTopDRG: top, predictionID: storedCases[i].prediction?.id,
                                     reasons: d.reasons, note: d.note, timeSpentMilliseconds: d.timeSpentMilliseconds,
                                     decidedAt: clock.now(), reverses: reverses, role: d.role)
            storedLog.append(row)
            let effective = DecisionLog.effective(storedLog).last { $0.caseID == d.caseID }
            switch effective?.kind {
            case .accept, .override: storedCases[i].summary.status = .coded; storedCases[i].summary.codedDRG = effective?.chosenDRG
            case .defer: storedCases[i].summary.status = .deferred; storedCases[i].summary.codedDRG = nil
            case .flag: storedCases[i].summary.status = .flagged; storedCases[i].summary.codedDRG = nil
            default: storedCases[i].summary.status = .queued; storedCases[i].summary.codedDRG = nil
            }
            return row
        }
    }
    func save(_ p: ScoredPrediction, for id: CaseID) throws -> ScoredPrediction {
        locked {
            var saved = p
            saved.id = Int64(predictions.count + 1)
            predictions[saved.id ?? 0] = saved
            if let i = storedCases.firstIndex(where: { $0.summary.id == id }) {
                storedCases[i].prediction = saved
                storedCases[i].summary.topDRG = p.top?.drg
                storedCases[i].summary.confidence = p.top?.probability
            }
            return saved
        }
    }
    func prediction(id: Int64) throws -> ScoredPrediction? {
        locked { predictions[id] ?? storedCases.compactMap(\.prediction).first { $0.id == id } }
    }
    func cases(withNoteWords query: String) throws -> Set<CaseID> {
        let words = query.lowercased().split(separator: " ")
        return locked { Set(storedCases.filter { c in words.allSatisfy { c.noteText.lowercased().contains($0) } }.map(\.summary.id)) }
    }
    func decisions() throws -> [LoggedDecision] { locked { storedLog } }
    func verifyChain() throws -> ChainState { locked { ChainState(verified: true, count: storedLog.count, message: "ok") } }
    var exportFormats: [String] { ["drg-llama-single-csv", "jsonl"] }
    func export(format: String, correctionsOnly: Bool, to url: URL) throws -> Int {
        locked { DecisionLog.codings(storedLog).values.filter { !correctionsOnly || $0.chosenDRG != $0.modelTopDRG }.count }
    }
}

final class FixedClock: ReviewClock, @unchecked Sendable {
    // @unchecked: tests advance it from one thread.
    private let lock = NSLock()
    private var current: Date
    init(_ date: Date = Date(timeIntervalSince1970: 1_796_000_000)) { current = date }   // 2026-11-29
    func now() -> Date { lock.lock(); defer { lock.unlock() }; return current }
    func advance(seconds: Double) { lock.lock(); current = current.addingTimeInterval(seconds); lock.unlock() }
}

struct FakeError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Cases, predictions and notes the tests share.
enum Sample {
    static let note = """
    Discharge summary. Chief complaint: shortness of breath.
    Brief Hospital Course: 78 year old woman admitted with acute on chronic systolic heart failure, \
    treated with IV furosemide. Course complicated by acute kidney injury, creatinine 2.4, which improved. \
    Also hyponatremia. Discharged home on oral diuretics.
    Discharge medications: furosemide, metoprolol.
    """
    static let section = """
    78 year old woman admitted with acute on chronic systolic heart failure, \
    treated with IV furosemide. Course complicated by acute kidney injury, creatinine 2.4, which improved. \
    Also hyponatremia. Discharged home on oral diuretics.
    """

    static func span(_ text: String, supports: String, aspect: String) -> EvidenceSpan {
        let range = section.range(of: text)!
        let start = section.unicodeScalars.distance(from: section.startIndex, to: range.lowerBound)
        return EvidenceSpan(start: start, end: start + text.unicodeScalars.count, text: text, supports: supports, aspect: aspect, score: 0.9)
    }

    static let prediction = DRGPrediction(
        ranked: [
            RankedDRG(drg: "291", description: "HEART FAILURE AND SHOCK WITH MCC", probability: 0.46, base: "HEART FAILURE AND SHOCK", ccMcc: "with MCC", weight: 1.3563),
            RankedDRG(drg: "292", description: "HEART FAILURE AND SHOCK WITH CC", probability: 0.31, base: "HEART FAILURE AND SHOCK", ccMcc: "with CC", weight: 0.8936),
            RankedDRG(drg: "293", description: "HEART FAILURE AND SHOCK WITHOUT CC/MCC", probability: 0.09, base: "HEART FAILURE AND SHOCK", ccMcc: "without CC/MCC", weight: 0.6330),
            RankedDRG(drg: "871", description: "SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITH MCC", probability: 0.05, weight: 1.9068),
            RankedDRG(drg: "193", description: "SIMPLE PNEUMONIA AND PLEURISY WITH MCC", probability: 0.03, weight: 1.3238),
            RankedDRG(drg: "194", description: "SIMPLE PNEUMONIA AND PLEURISY WITH CC", probability: 0.02, weight: 0.8880),
            RankedDRG(drg: "690", description: "KIDNEY AND URINARY TRACT INFECTIONS WITHOUT MCC", probability: 0.015, weight: 0.8052),
            RankedDRG(drg: "872", description: "SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITHOUT MCC", probability: 0.01, weight: 1.0274),
            RankedDRG(drg: "195", description: "SIMPLE PNEUMONIA AND PLEURISY WITHOUT CC/MCC", probability: 0.007, weight: 0.6516),
            RankedDRG(drg: "603", description: "CELLULITIS WITHOUT MCC", probability: 0.005, weight: 0.8479),
            RankedDRG(drg: "392", description: "ESOPHAGITIS, GASTROENTERITIS AND MISCELLANEOUS DIGESTIVE DISORDERS WITHOUT MCC", probability: 0.003, weight: 0.7330),
        ],
        baseDRGs: [Marginal(label: "HEART FAILURE AND SHOCK", probability: 0.86), Marginal(label: "SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS", probability: 0.06),
                   Marginal(label: "SIMPLE PNEUMONIA AND PLEURISY", probability: 0.057)],
        ccMcc: [Marginal(label: "with MCC", probability: 0.54), Marginal(label: "with CC", probability: 0.33), Marginal(label: "without CC/MCC", probability: 0.10),
                Marginal(label: "without MCC", probability: 0.025), Marginal(label: "not applicable", probability: 0.005)],
        evidence: [span("acute on chronic systolic heart failure", supports: "HEART FAILURE AND SHOCK", aspect: "base"),
                   span("acute kidney injury", supports: "with MCC", aspect: "cc_mcc"),
                   span("hyponatremia", supports: "with CC", aspect: "cc_mcc")])

    static func cases(scored: Set<CaseID> = [1], count: Int = 6) -> [CaseDetail] {
        (1...count).map { i -> CaseDetail in
            let id = CaseID(i)
            let shown = scored.contains(id) ? ScoredPrediction(id: id * 100, prediction: prediction, modelName: "fake") : nil
            let summary = CaseSummary(id: id, externalID: "N-\(1000 + i)", status: .queued, priority: 7 - i,
                                      topDRG: shown?.top?.drg, confidence: shown?.top?.probability,
                                      finalDRG: i <= 2 ? "292" : nil)
            return CaseDetail(summary: summary, noteText: note, sectionText: section, prediction: shown)
        }
    }

    /// A driver over `FakeSource`. With `model`, the screens show a loaded model ("fake"); its
    /// scoring runs in the real coordinator only when the test passes `scorer` (a `GatedScorer` it
    /// releases), so frames never depend on when a background job happens to post. `codes` and
    /// `suggestions` go to the first case (N-1001).
    static func driver(size: Size = Size(width: 80, height: 24), view: ViewMode = .code, scored: Set<CaseID> = [1],
                       model: Bool = true, scorer: GatedScorer? = nil, codes: [ShownCode] = [], suggestions: [CodeSuggestion] = [],
                       clock: FixedClock = FixedClock(), settings: ReviewSettings = ReviewSettings()) -> (ReviewDriver, FakeSource, FixedClock) {
        var cases = cases(scored: scored)
        cases[0].codes = codes
        cases[0].suggestions = suggestions
        let source = FakeSource(cases: cases, clock: clock)
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: source.exportFormats,
                                    exportDirectory: URL(fileURLWithPath: "/tmp/exports"), settings: settings)
        let state = AppState(view: view, user: "alice", size: size, now: clock.now(), modelName: model ? "fake" : nil)
        let driver = ReviewDriver(state: state, environment: env, source: source,
                                  scorer: model ? scorer : nil, clock: clock)
        driver.start()
        return (driver, source, clock)
    }
}

import TerminalUI
