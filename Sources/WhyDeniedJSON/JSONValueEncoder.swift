import Foundation

/// Encodes an `Encodable` straight into a `JSONValue`: the value `JSONEncoder` (`.sortedKeys`)
/// followed by `JSONValue.parse` gives, without the text in between (that round trip was an
/// eighth of a batch's analysis). Keys are sorted by their UTF-8 bytes, as `.sortedKeys` sorts
/// them; `Data` becomes base64, `URL` its absolute string, `Decimal` a number, as `JSONEncoder`
/// writes them by default; a non-finite number is an error, as there.
///
/// ```swift
/// let gates = try JSONValueEncoder().encode(result.gates)   // .array([.object(...), ...])
/// ```
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try Self.box(value, codingPath: [])
    }

    /// What one value encodes to: the types `JSONEncoder` writes its own way, else its `encode(to:)`.
    static func box<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> JSONValue {
        switch value {
        case let json as JSONValue: return sortingKeys(json)
        case let data as Data: return .string(data.base64EncodedString())
        case let url as URL: return .string(url.absoluteString)
        case let decimal as Decimal: return .number(NSDecimalNumber(decimal: decimal).doubleValue)
        default:
            let node = Node()
            try value.encode(to: TreeEncoder(node: node, codingPath: codingPath))
            return node.value
        }
    }

    /// A `JSONValue` as `.sortedKeys` writes it: every object's keys in order, at every depth.
    static func sortingKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            let sorted = object.entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            return .object(JSONObject(sorted.map { ($0.key, sortingKeys($0.value)) }))
        case .array(let items): return .array(items.map(sortingKeys))
        default: return value
        }
    }

    static func number(_ value: Double, codingPath: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: codingPath, debugDescription: "\(value) is not a JSON number"))
        }
        return .number(value)
    }

    /// What a container wrote, filled in as the value encodes itself.
    final class Node {
        enum Content {
            case unset
            case single(JSONValue)
            case keyed([String: Node])
            case unkeyed([Node])
        }
        var content: Content = .unset

        var value: JSONValue {
            switch content {
            case .unset: return .object(JSONObject())
            case .single(let value): return value
            case .keyed(let entries):
                let keys = entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                return .object(JSONObject(keys.map { ($0, entries[$0]!.value) }))
            case .unkeyed(let items): return .array(items.map(\.value))
            }
        }

        func keyedChild(_ key: String) -> Node {
            var entries: [String: Node] = [:]
            if case .keyed(let existing) = content { entries = existing }
            let child = Node()
            entries[key] = child
            content = .keyed(entries)
            return child
        }

        func appendedChild() -> Node {
            var items: [Node] = []
            if case .unkeyed(let existing) = content { items = existing }
            let child = Node()
            items.append(child)
            content = .unkeyed(items)
            return child
        }

        func becomeKeyed() { if case .keyed = content {} else { content = .keyed([:]) } }
        func becomeUnkeyed() { if case .unkeyed = content {} else { content = .unkeyed([]) } }
    }

    struct TreeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            node.becomeKeyed()
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            node.becomeUnkeyed()
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(node: node, codingPath: codingPath)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        private func set(_ value: JSONValue, _ key: Key) { node.keyedChild(key.stringValue).content = .single(value) }

        mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { set(try JSONValueEncoder.number(value, codingPath: codingPath + [key]), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { set(try JSONValueEncoder.number(Double("\(value)") ?? Double(value), codingPath: codingPath + [key]), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            set(try JSONValueEncoder.box(value, codingPath: codingPath + [key]), key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = node.keyedChild(key.stringValue)
            child.becomeKeyed()
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = node.keyedChild(key.stringValue)
            child.becomeUnkeyed()
            return Unkeyed(node: child, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

        private func superEncoder(named name: String) -> any Encoder {
            TreeEncoder(node: node.keyedChild(name), codingPath: codingPath)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer, PrimitiveSink {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int {
            if case .unkeyed(let items) = node.content { return items.count }
            return 0
        }

        func put(_ value: JSONValue) { node.appendedChild().content = .single(value) }
        var valuePath: [any CodingKey] { codingPath + [IndexKey(index: count)] }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let path = valuePath
            let child = node.appendedChild()
            child.becomeKeyed()
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: path))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let path = valuePath
            let child = node.appendedChild()
            child.becomeUnkeyed()
            return Unkeyed(node: child, codingPath: path)
        }

        mutating func superEncoder() -> any Encoder {
            let path = valuePath
            return TreeEncoder(node: node.appendedChild(), codingPath: path)
        }
    }

    struct Single: SingleValueEncodingContainer, PrimitiveSink {
        let node: Node
        let codingPath: [any CodingKey]

        func put(_ value: JSONValue) { node.content = .single(value) }
        var valuePath: [any CodingKey] { codingPath }
    }

    struct IndexKey: CodingKey {
        let index: Int
        var stringValue: String { "Index \(index)" }
        var intValue: Int? { index }
        init(index: Int) { self.index = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.index = intValue }
    }
}

/// The values an unkeyed or a single-value container writes one at a time, each as JSON has it:
/// the protocols' primitive `encode` requirements, met once for both.
protocol PrimitiveSink {
    /// Where the next value goes, for an error's coding path.
    var valuePath: [any CodingKey] { get }
    func put(_ value: JSONValue)
}

extension PrimitiveSink {
    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(try JSONValueEncoder.number(value, codingPath: valuePath)) }
    mutating func encode(_ value: Float) throws { put(try JSONValueEncoder.number(Double("\(value)") ?? Double(value), codingPath: valuePath)) }
    mutating func encode(_ value: Int) throws { put(.number(Double(value))) }
    mutating func encode(_ value: Int8) throws { put(.number(Double(value))) }
    mutating func encode(_ value: Int16) throws { put(.number(Double(value))) }
    mutating func encode(_ value: Int32) throws { put(.number(Double(value))) }
    mutating func encode(_ value: Int64) throws { put(.number(Double(value))) }
    mutating func encode(_ value: UInt) throws { put(.number(Double(value))) }
    mutating func encode(_ value: UInt8) throws { put(.number(Double(value))) }
    mutating func encode(_ value: UInt16) throws { put(.number(Double(value))) }
    mutating func encode(_ value: UInt32) throws { put(.number(Double(value))) }
    mutating func encode(_ value: UInt64) throws { put(.number(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { put(try JSONValueEncoder.box(value, codingPath: valuePath)) }
}
