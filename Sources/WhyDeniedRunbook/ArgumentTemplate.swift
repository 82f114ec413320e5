import Foundation
import WhyDeniedJSON

/// One argv element as written in a runbook, e.g. `"--role-name"` or
/// `"AttributeKey=Username,AttributeValue={{facts.principal.event_username}}"`.
///
/// Resolving it yields argv elements, never a shell string: a placeholder's value becomes part
/// of exactly this one element, except that an element consisting of a single placeholder whose
/// value is a list is spliced as one element per list item.
///
/// ```swift
/// let template = try ArgumentTemplate("{{params.region}}")
/// template.resolve { _ in .string("us-east-1; rm -rf /") }   // .success(["us-east-1; rm -rf /"])
/// ```
public struct ArgumentTemplate: Sendable, Equatable, CustomStringConvertible {
    public enum Segment: Sendable, Equatable {
        case text(String)
        case placeholder(PlaceholderReference)
    }

    public let segments: [Segment]
    /// The element as written, placeholders included.
    public let description: String

    public struct SyntaxError: Error, Sendable, Equatable {
        public let reason: String
    }

    public init(_ text: String) throws(SyntaxError) {
        description = text
        var segments: [Segment] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw SyntaxError(reason: "\"{{\" without a closing \"}}\" in \"\(text)\"")
            }
            let inside = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            segments.append(.placeholder(try PlaceholderReference(inside)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        self.segments = segments
    }

    public var placeholders: [PlaceholderReference] {
        segments.compactMap { if case .placeholder(let reference) = $0 { reference } else { nil } }
    }

    /// Resolves the element. `lookup` returns nil for a value not known (yet).
    public func resolve(_ lookup: (PlaceholderReference) -> JSONValue?) -> Result<[String], UnresolvedPlaceholder> {
        if segments.count == 1, case .placeholder(let reference) = segments[0] {
            guard let value = lookup(reference), !value.isNull else {
                return .failure(UnresolvedPlaceholder(reference: reference, reason: "has no value"))
            }
            if case .array(let items) = value {
                guard !items.isEmpty else {
                    return .failure(UnresolvedPlaceholder(reference: reference, reason: "is an empty list"))
                }
                var elements: [String] = []
                for item in items {
                    guard let text = Self.elementText(item) else {
                        return .failure(UnresolvedPlaceholder(reference: reference, reason: "holds a null item"))
                    }
                    elements.append(text)
                }
                return .success(elements)
            }
            guard let text = Self.elementText(value) else {
                return .failure(UnresolvedPlaceholder(reference: reference, reason: "has no value"))
            }
            return .success([text])
        }
        var element = ""
        for segment in segments {
            switch segment {
            case .text(let text):
                element += text
            case .placeholder(let reference):
                guard let value = lookup(reference), !value.isNull else {
                    return .failure(UnresolvedPlaceholder(reference: reference, reason: "has no value"))
                }
                if case .array = value {
                    return .failure(UnresolvedPlaceholder(
                        reference: reference, reason: "is a list, which can't be embedded in the text \"\(description)\""))
                }
                guard let text = Self.elementText(value) else {
                    return .failure(UnresolvedPlaceholder(reference: reference, reason: "has no value"))
                }
                element += text
            }
        }
        return .success([element])
    }

    /// Scalars as written; objects and lists as compact JSON (e.g. a policy document).
    private static func elementText(_ value: JSONValue) -> String? {
        switch value {
        case .null: nil
        case .string, .number, .bool: value.scalarText
        case .array, .object: value.serialized()
        }
    }
}

/// Why a command could not be fully resolved.
public struct UnresolvedPlaceholder: Error, Sendable, Equatable, CustomStringConvertible {
    public let reference: PlaceholderReference
    public let reason: String
    public var description: String { "{{\(reference)}} \(reason)" }
}

/// What a `{{...}}` names.
///
/// - `params.NAME`: a runbook parameter.
/// - `facts.NAMESPACE.KEY`: a value the caller knows (see `FactCatalog`).
/// - `captures.NAME` or `captures.NAME.Path`: a value captured from an earlier command.
/// - `VARIABLE` or `VARIABLE.Path`: the current `foreach` item.
public enum PlaceholderReference: Sendable, Equatable, CustomStringConvertible {
    case parameter(String)
    case fact(String)
    case capture(String, path: JSONPath?)
    case loopVariable(String, path: JSONPath?)

    init(_ text: String) throws(ArgumentTemplate.SyntaxError) {
        guard !text.isEmpty else { throw ArgumentTemplate.SyntaxError(reason: "empty placeholder \"{{}}\"") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-[]*")
        guard text.allSatisfy({ allowed.contains($0) }) else {
            throw ArgumentTemplate.SyntaxError(reason: "placeholder \"{{\(text)}}\" may hold only names, dots and [n]")
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let head = parts[0]
        let tail = parts.count > 1 ? parts[1] : nil
        func path(_ text: String?) throws(ArgumentTemplate.SyntaxError) -> JSONPath? {
            guard let text else { return nil }
            do { return try JSONPath(text) } catch { throw ArgumentTemplate.SyntaxError(reason: error.description) }
        }
        switch head {
        case "params":
            guard let tail, !tail.isEmpty, !tail.contains(".") else {
                throw ArgumentTemplate.SyntaxError(reason: "\"{{\(text)}}\" should be {{params.NAME}}")
            }
            self = .parameter(tail)
        case "facts":
            guard let tail, !tail.isEmpty else {
                throw ArgumentTemplate.SyntaxError(reason: "\"{{\(text)}}\" should be {{facts.NAMESPACE.KEY}}")
            }
            self = .fact(tail)
        case "captures":
            guard let tail, !tail.isEmpty else {
                throw ArgumentTemplate.SyntaxError(reason: "\"{{\(text)}}\" should be {{captures.NAME}}")
            }
            let captureParts = tail.split(separator: ".", maxSplits: 1).map(String.init)
            self = .capture(captureParts[0], path: try path(captureParts.count > 1 ? captureParts[1] : nil))
        default:
            self = .loopVariable(head, path: try path(tail))
        }
    }

    public var description: String {
        switch self {
        case .parameter(let name): "params.\(name)"
        case .fact(let name): "facts.\(name)"
        case .capture(let name, let path): "captures.\(name)" + (path.map { ".\($0)" } ?? "")
        case .loopVariable(let name, let path): name + (path.map { ".\($0)" } ?? "")
        }
    }
}
