import Foundation

/// The `drg_labels.json` a model directory ships to say what its logits mean.
///
/// Single label (logit i is DRG `labels[i]`):
///
///     {"scheme": "single", "version": "43", "labels": ["291", "292", "293"]}
///
/// Two label (logits 0..<n are `bases[i]`, named as ``DRGEntry/baseDRG``; logits n..<n+5 are the
/// CC/MCC classes, always in ``CCMCCClass`` order; `classes` may be given and must then be exactly
/// ["without CC/MCC", "with CC", "with MCC", "without MCC", "not applicable"]):
///
///     {"scheme": "two", "version": "34", "bases": ["HEART TRANSPLANT OR IMPLANT OF HEART ASSIST SYSTEM", ...]}
public struct LabelFile: Codable, Sendable, Equatable {
    public static let fileName = "drg_labels.json"

    public var scheme: LabelSpace.Scheme
    public var version: DRGVersion
    public var labels: [String]?
    public var bases: [String]?
    public var classes: [String]?

    public init(scheme: LabelSpace.Scheme, version: DRGVersion, labels: [String]? = nil,
                bases: [String]? = nil, classes: [String]? = nil) {
        self.scheme = scheme; self.version = version; self.labels = labels; self.bases = bases; self.classes = classes
    }
}

extension LabelSpace {
    /// Reads a `drg_labels.json` (``LabelFile``); the space's name is the file's path.
    public static func load(file url: URL) throws -> LabelSpace {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DRGKitError.malformedLabelFile(url.path, reason: "cannot be read")
        }
        let file: LabelFile
        do { file = try JSONDecoder().decode(LabelFile.self, from: data) } catch {
            throw DRGKitError.malformedLabelFile(url.path, reason: "not a drg_labels.json (scheme, version, labels|bases)")
        }
        return try LabelSpace(file: file, name: url.path)
    }

    /// A space from a decoded ``LabelFile``.
    public init(file: LabelFile, name: String) throws {
        switch file.scheme {
        case .single:
            guard let labels = file.labels else { throw DRGKitError.malformedLabelFile(name, reason: "scheme single needs \"labels\"") }
            try self.init(singleLabels: labels, version: file.version, name: name)
        case .two:
            guard let bases = file.bases else { throw DRGKitError.malformedLabelFile(name, reason: "scheme two needs \"bases\"") }
            if let classes = file.classes, classes != CCMCCClass.allCases.map(\.label) {
                throw DRGKitError.malformedLabelFile(name, reason: "\"classes\" must be the 5 CC/MCC classes in DRG-LLaMA order")
            }
            try self.init(twoLabelBases: bases, version: file.version, name: name)
        }
    }

    /// This space as a `drg_labels.json`.
    public var file: LabelFile {
        scheme == .single
            ? LabelFile(scheme: .single, version: version, labels: labels)
            : LabelFile(scheme: .two, version: version, bases: bases.map(\.name), classes: CCMCCClass.allCases.map(\.label))
    }
}
