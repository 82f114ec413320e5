/// An ARN format from the Service Authorization Reference with `${Placeholder}` parts.
///
/// Example: `arn:${Partition}:s3:::${BucketName}/${ObjectName}` filled with
/// `["Partition": "aws", "BucketName": "b", "ObjectName": "k.csv"]` gives `arn:aws:s3:::b/k.csv`.
/// Placeholder names compare case-insensitively, because the reference spells them unevenly.
public struct ArnTemplate: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public var description: String { text }

    /// The placeholder names in order of appearance, e.g. `["Partition", "BucketName", "ObjectName"]`.
    public var placeholders: [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            names.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    /// The ARN with every placeholder replaced, or nil when a value is missing.
    public func filled(_ values: [String: String]) -> String? {
        let lowered = Dictionary(values.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            result += rest[..<start.lowerBound]
            let name = String(rest[start.upperBound..<end]).lowercased()
            guard let value = lowered[name] else { return nil }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        result += rest
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
    /// matches an object ARN.
    public func matches(_ arn: String) -> Bool {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            if start.lowerBound > rest.startIndex { pieces.append(.literal(Array(rest[..<start.lowerBound]))) }
            pieces.append(.placeholder)
            rest = rest[rest.index(after: end)...]
        }
        if !rest.isEmpty { pieces.append(.literal(Array(rest))) }
        let slashBeforeLast: Bool = {
            guard let lastPlaceholder = pieces.lastIndex(of: .placeholder) else { return false }
            let resourcePart = pieces[..<lastPlaceholder].reduce(into: [Character]()) { chars, piece in
                if case .literal(let literal) = piece { chars += literal } else { chars.append("x") }
            }
            let afterService = String(resourcePart).split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            return afterService.count == 6 && afterService[5].contains("/")
        }()
        return Self.match(pieces[...], Array(arn)[...], slashInLast: slashBeforeLast)
    }

    private enum Piece: Equatable {
        case literal([Character])
        case placeholder
    }

    private static func match(_ pieces: ArraySlice<Piece>, _ chars: ArraySlice<Character>, slashInLast: Bool) -> Bool {
        guard let first = pieces.first else { return chars.isEmpty }
        switch first {
        case .literal(let literal):
            guard chars.starts(with: literal) else { return false }
            return match(pieces.dropFirst(), chars.dropFirst(literal.count), slashInLast: slashInLast)
        case .placeholder:
            let isLast = !pieces.dropFirst().contains(.placeholder)
            var taken = 0
            for char in chars {
                if !isLast && (char == ":" || char == "/") { break }
                if isLast && char == "/" && !slashInLast { break }
                taken += 1
                if match(pieces.dropFirst(), chars.dropFirst(taken), slashInLast: slashInLast) { return true }
            }
            return false
        }
    }
}
