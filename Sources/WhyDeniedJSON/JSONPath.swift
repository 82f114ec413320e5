/// A small path language to pick values out of CLI output, as runbook captures use it:
/// `Arn`, `trailList[*].S3BucketName`, `AttachedPolicies[*].PolicyArn`, `Policy.DefaultVersionId`,
/// `Events[0].CloudTrailEvent`.
///
/// `[*]` fans out over an array; the result of a path with a fan-out is always a list.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
        case everyElement
    }

    public let components: [Component]
    public let description: String

    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "invalid path \"\(path)\": \(reason)" }
    }

    public init(_ text: String) throws(SyntaxError) {
        description = text
        var components: [Component] = []
        var key = ""
        var index = text.startIndex
        func flushKey() { if !key.isEmpty { components.append(.key(key)); key = "" } }
        while index < text.endIndex {
            let character = text[index]
            switch character {
            case ".":
                guard !key.isEmpty || components.last.map({ if case .key = $0 { return false } else { return true } }) == true else {
                    throw SyntaxError(path: text, reason: "empty name before '.'")
                }
                flushKey()
            case "[":
                flushKey()
                guard let close = text[index...].firstIndex(of: "]") else {
                    throw SyntaxError(path: text, reason: "'[' without ']'")
                }
                let inside = text[text.index(after: index)..<close]
                if inside == "*" {
                    components.append(.everyElement)
                } else if let number = Int(inside), number >= 0 {
                    components.append(.index(number))
                } else {
                    throw SyntaxError(path: text, reason: "'[\(inside)]' is neither [*] nor a list index")
                }
                index = close
            default:
                key.append(character)
            }
            index = text.index(after: index)
        }
        flushKey()
        guard !components.isEmpty else { throw SyntaxError(path: text, reason: "the path is empty") }
        self.components = components
    }

    /// True when the path fans out, so its result is a list.
    public var yieldsList: Bool { components.contains(.everyElement) }

    /// The selected value: `nil` when the path leads nowhere; with `[*]`, an array of whatever
    /// each element yields (elements that yield nothing are left out).
    public func select(in root: JSONValue) -> JSONValue? {
        Self.select(components[...], in: root)
    }

    private static func select(_ remaining: ArraySlice<Component>, in value: JSONValue) -> JSONValue? {
        guard let first = remaining.first else { return value }
        let rest = remaining.dropFirst()
        switch first {
        case .key(let name):
            guard let child = value[name] else { return nil }
            return select(rest, in: child)
        case .index(let position):
            guard let child = value[position] else { return nil }
            return select(rest, in: child)
        case .everyElement:
            guard let items = value.arrayValue else { return nil }
            var results: [JSONValue] = []
            for item in items {
                guard let selected = select(rest, in: item) else { continue }
                // Nested fan-outs flatten, as JMESPath does for `a[*].b[*]`.
                if rest.contains(.everyElement), case .array(let inner) = selected {
                    results.append(contentsOf: inner)
                } else {
                    results.append(selected)
                }
            }
            return .array(results)
        }
    }
}
