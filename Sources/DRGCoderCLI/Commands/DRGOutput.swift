import Foundation
import DRGKit

/// One DRG as `drg show`, `drg list` and `drg search` print it (JSON keys are snake_case; fields a
/// version lacks are left out, e.g. `weight` on v34).
struct DRGRecord: Encodable {
    struct Sibling: Encodable {
        var drg: String
        var ccMcc: String
        var weight: Double?
        var description: String
        enum CodingKeys: String, CodingKey { case drg, ccMcc = "cc_mcc", weight, description }
    }
    struct TwoLabel: Encodable {
        var base: Int
        var ccMcc: Int
        enum CodingKeys: String, CodingKey { case base, ccMcc = "cc_mcc" }
    }
    var drg: String
    var version: String
    var description: String
    var mdc: String?
    var type: String
    var weight: Double?
    var weightBeforeCap: Double?
    var gmlos: Double?
    var amlos: Double?
    var postAcute: Bool?
    var specialPay: Bool?
    var expectedPayment: Double?
    var baseRate: Double?
    var baseDRG: String
    var ccMccClass: Int
    var ccMcc: String
    var family: String
    var siblings: [Sibling]
    /// DRG-LLaMA label indices (v34): single-label logit, two-label base logit and class.
    var singleLabel: Int?
    var twoLabel: TwoLabel?

    enum CodingKeys: String, CodingKey {
        case drg, version, description, mdc, type, weight, weightBeforeCap = "weight_before_cap", gmlos, amlos
        case postAcute = "post_acute", specialPay = "special_pay", expectedPayment = "expected_payment"
        case baseRate = "base_rate", baseDRG = "base_drg", ccMccClass = "cc_mcc_class", ccMcc = "cc_mcc"
        case family, siblings, singleLabel = "single_label", twoLabel = "two_label"
    }

    init(_ entry: DRGEntry, in table: DRGTable) {
        let payment = Payment()
        drg = entry.code; version = table.version.rawValue; description = entry.description
        mdc = entry.mdc; type = entry.type; weight = entry.weight; weightBeforeCap = entry.weightBeforeCap
        gmlos = entry.gmlos; amlos = entry.amlos; postAcute = entry.postAcute; specialPay = entry.specialPay
        expectedPayment = payment.amount(for: entry).map { ($0 * 100).rounded() / 100 }
        baseRate = expectedPayment == nil ? nil : payment.baseRate
        baseDRG = entry.baseDRG; ccMccClass = entry.ccMccClass.rawValue; ccMcc = entry.ccMccLabel
        family = entry.family.rawValue
        siblings = entry.siblings.compactMap(table.entry).map {
            Sibling(drg: $0.code, ccMcc: $0.ccMccLabel, weight: $0.weight, description: $0.description)
        }
        singleLabel = entry.singleLabelIndex
        twoLabel = table.version == .v34 ? TwoLabel(base: entry.baseIndex, ccMcc: entry.ccMccClass.rawValue) : nil
    }
}

/// Text and JSON rendering shared by the `drg` subcommands.
enum DRGOutput {
    /// Compact, key-sorted JSON (one line).
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The `drg show` page.
    static func text(_ r: DRGRecord, version: DRGVersion) -> String {
        var facts = ["MDC \(r.mdc ?? "none")", r.type.isEmpty ? "no type" : r.type]
        if let w = r.weight { facts.append("weight \(number(w))") }
        if let g = r.gmlos { facts.append("GMLOS \(days(g))") }
        if let a = r.amlos { facts.append("AMLOS \(days(a))") }
        if let p = r.postAcute { facts.append("post-acute \(p ? "yes" : "no")") }
        if let s = r.specialPay { facts.append("special pay \(s ? "yes" : "no")") }
        var lines = ["DRG \(r.drg)  \(r.description)", "\(version.title)  " + facts.joined(separator: " · ")]
        if let pay = r.expectedPayment, let rate = r.baseRate {
            lines.append(pad("Payment", 11) + "$" + money(pay) + " expected at a base rate of $" + money(rate))
        }
        lines.append(pad("Base DRG", 11) + r.baseDRG)
        lines.append(pad("CC/MCC", 11) + "\(r.ccMcc) (class \(r.ccMccClass))")
        lines.append(pad("Family", 11) + r.family)
        if let single = r.singleLabel { lines.append(pad("DRG-LLaMA", 11) + "single-label \(single)") }
        if let two = r.twoLabel {
            lines.append(pad(r.singleLabel == nil ? "DRG-LLaMA" : "", 11) + "two-label base \(two.base), class \(two.ccMcc)")
        }
        for (i, s) in r.siblings.enumerated() {
            lines.append(pad(i == 0 ? "Siblings" : "", 11) + s.drg + "  " + pad(s.ccMcc, 16)
                         + (s.weight.map { pad(number($0), 8, left: true) } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    /// One DRG a line: code, MDC, type, weight, GMLOS, family, class, title (+ v34 label indices).
    static func line(_ r: DRGRecord) -> String {
        var fields = [r.drg, pad(r.mdc ?? "-", 3), pad(r.type.isEmpty ? "-" : r.type, 4)]
        if r.version != DRGVersion.v34.rawValue {
            fields.append(pad(r.weight.map(number) ?? "-", 8, left: true))
            fields.append(pad(r.gmlos.map(days) ?? "-", 5, left: true))
        } else {
            fields.append(pad(r.singleLabel.map { "s\($0)" } ?? "s-", 5))
            fields.append(pad(r.twoLabel.map { "b\($0.base)/c\($0.ccMcc)" } ?? "", 9))
        }
        fields.append(pad(r.family, 14))
        fields.append(pad(r.ccMcc, 14))
        fields.append(r.description)
        return fields.joined(separator: "  ")
    }

    /// The classes a family's DRGs carry, as words.
    static func classes(of family: SplitFamily) -> String {
        switch family {
        case .threeWay: return "with MCC / with CC / without CC/MCC"
        case .ccMccVersusNone: return "with CC/MCC / without CC/MCC"
        case .mccVersusRest: return "with MCC / without MCC"
        case .noSplit: return "one DRG"
        case .irregular: return "other combinations"
        }
    }

    static func number(_ value: Double) -> String {
        var text = String(value)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// A length of stay as CMS prints it, one decimal: "5.0".
    static func days(_ value: Double) -> String { String(format: "%.1f", value) }

    static func money(_ value: Double) -> String {
        let cents = Int((value * 100).rounded())
        let dollars = String(cents / 100)
        var grouped = ""
        for (i, c) in dollars.reversed().enumerated() {
            if i > 0, i % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return String(grouped.reversed()) + String(format: ".%02d", cents % 100)
    }

    static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return left ? fill + text : text + fill
    }
}
