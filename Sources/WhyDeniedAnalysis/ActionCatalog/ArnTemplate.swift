/// An ARN format from the Service Authorization Reference with `${Placeholder}` parts.
///
/// Example: `arn:${Partition}:s3:::${BucketName}/${ObjectName}` filled with
/// `["Partition": "aws", "BucketName": "b", "ObjectName": "k.csv"]` gives `arn:aws:s3:::b/k.csv`.
/// Placeholder names compare case-insensitively, because the reference spells them unevenly.
public struct ArnTemplate: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let text: String
    /// The template read once (a batch matches every event's ARNs against many templates).
    private let parts: [Part]
    /// Whether the last placeholder may hold `/` (see `matches`).
    private let slashInLast: Bool

    private enum Part: Sendable {
        case literal(String, bytes: [UInt8])
        case placeholder(name: String)
    }

    public init(_ text: String) {
        self.text = text
        var parts: [Part] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            if start.lowerBound > rest.startIndex {
                let literal = String(rest[..<start.lowerBound])
                parts.append(.literal(literal, bytes: Array(literal.utf8)))
            }
            parts.append(.placeholder(name: String(rest[start.upperBound..<end])))
            rest = rest[rest.index(after: end)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest), bytes: Array(rest.utf8))) }
        self.parts = parts
        slashInLast = {
            guard let lastPlaceholder = parts.lastIndex(where: { if case .placeholder = $0 { true } else { false } }) else { return false }
            let resourcePart = parts[..<lastPlaceholder].map { part in
                if case .literal(let literal, _) = part { literal } else { "x" }
            }.joined()
            let afterService = resourcePart.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            return afterService.count == 6 && afterService[5].contains("/")
        }()
    }

    public static func == (lhs: ArnTemplate, rhs: ArnTemplate) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    public var description: String { text }

    /// The placeholder names in order of appearance, e.g. `["Partition", "BucketName", "ObjectName"]`.
    public var placeholders: [String] {
        parts.compactMap { part in if case .placeholder(let name) = part { name } else { nil } }
    }

    /// The ARN with every placeholder replaced, or nil when a value is missing.
    public func filled(_ values: [String: String]) -> String? {
        var lowered: [String: String] = [:]
        for (key, value) in values where lowered[key.lowercased()] == nil { lowered[key.lowercased()] = value }
        var result = ""
        for part in parts {
            switch part {
            case .literal(let literal, _): result += literal
            case .placeholder(let name):
                guard let value = values[name] ?? lowered[name.lowercased()] else { return nil }
                result += value
            }
        }
        return result
    }

    /// The service segment (third field), e.g. `s3`.
    public var service: String {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count > 2 ? String(parts[2]) : ""
    }

    /// Whether `arn` has this template's shape: the literal parts equal and every placeholder
    /// non-empty. Inner placeholders hold no `:` or `/`; the last may hold `/` only when the
    /// resource part already has one (`${BucketName}/${ObjectName}`), so a bucket template never
    /// matches an object ARN. Compared as UTF-8: the separators are ASCII, so a placeholder ends
    /// at the same `:` or `/` as it would character by character.
    public func matches(_ arn: String) -> Bool {
        var arn = arn
        return arn.withUTF8 { bytes in Self.match(parts[...], bytes[...], slashInLast: slashInLast) }
    }

    private static func match(_ parts: ArraySlice<Part>, _ bytes: Slice<UnsafeBufferPointer<UInt8>>, slashInLast: Bool) -> Bool {
        guard let first = parts.first else { return bytes.isEmpty }
        switch first {
        case .literal(_, let literal):
            guard bytes.starts(with: literal) else { return false }
            return match(parts.dropFirst(), bytes.dropFirst(literal.count), slashInLast: slashInLast)
        case .placeholder:
            let isLast = !parts.dropFirst().contains { if case .placeholder = $0 { true } else { false } }
            var taken = 0
            for byte in bytes {
                if !isLast && (byte == UInt8(ascii: ":") || byte == UInt8(ascii: "/")) { break }
                if isLast && byte == UInt8(ascii: "/") && !slashInLast { break }
                taken += 1
                if match(parts.dropFirst(), bytes.dropFirst(taken), slashInLast: slashInLast) { return true }
            }
            return false
        }
    }
}
