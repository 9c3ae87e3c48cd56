import Foundation

/// Number formats of the screens; locale-independent so frames are the same on every machine.
enum Format {
    /// "42%", "<1%", "100%".
    static func percent(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "  —" }
        if p > 0 && p < 0.005 { return "<1%" }
        return "\(Int((p * 100).rounded()))%"
    }

    /// "$12,345" (whole dollars).
    static func money(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let whole = Int(value.rounded())
        var digits = String(abs(whole)), out = ""
        while digits.count > 3 { out = "," + digits.suffix(3) + out; digits = String(digits.dropLast(3)) }
        return (whole < 0 ? "-$" : "$") + digits + out
    }

    /// "+$2,760", "-$1,100", "$0".
    static func signedMoney(_ value: Double) -> String {
        let whole = Int(value.rounded())
        return whole > 0 ? "+" + money(Double(whole)) : money(Double(whole))
    }

    /// "1.3456" → "1.346".
    static func weight(_ w: Double?) -> String {
        guard let w, w.isFinite else { return "—" }
        return String(format: "%.3f", w)
    }

    static func signed(_ v: Double) -> String { (v >= 0 ? "+" : "") + String(format: "%.3f", v) }

    /// "2026-12-01 19:02" in UTC.
    static func minute(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? cal.timeZone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// "1 min 05 s", "42 s".
    static func duration(milliseconds: Int64) -> String {
        let s = Int(milliseconds / 1000)
        return s >= 60 ? "\(s / 60) min \(String(format: "%02d", s % 60)) s" : "\(s) s"
    }

    /// Short name of a CC/MCC class for tight columns.
    static func shortClass(_ label: String) -> String {
        switch label.lowercased() {
        case "with mcc": return "MCC"
        case "with cc", "with cc/mcc": return label.lowercased() == "with cc" ? "CC" : "CC/MCC"
        case "without cc/mcc": return "none"
        case "without mcc": return "no MCC"
        case "not applicable": return "n/a"
        default: return label
        }
    }
}
