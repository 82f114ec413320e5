import Foundation

/// An IPv4 or IPv6 address range in CIDR notation, as IpAddress / NotIpAddress conditions use.
/// A bare address is a range of one.
///
/// ```swift
/// IPAddressRange("203.0.113.0/24")?.contains(IPAddressRange("203.0.113.9")!)   // true
/// IPAddressRange("2001:db8::/32")?.contains(IPAddressRange("2001:db8::1")!)    // true
/// ```
public struct IPAddressRange: Sendable, Hashable {
    /// 4 bytes for IPv4, 16 for IPv6.
    public var bytes: [UInt8]
    public var prefixLength: Int

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let pieces = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = pieces.first, let bytes = Self.parseAddress(String(address)) else { return nil }
        self.bytes = bytes
        if pieces.count == 2 {
            guard let length = Int(pieces[1]), (0...(bytes.count * 8)).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bytes.count * 8
        }
    }

    /// True when every address of `other` lies in this range (same address family only).
    public func contains(_ other: IPAddressRange) -> Bool {
        guard bytes.count == other.bytes.count, other.prefixLength >= prefixLength else { return false }
        var remaining = prefixLength
        for index in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xFF : ~(UInt8(0xFF) >> UInt8(bits))
            if bytes[index] & mask != other.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    static func parseAddress(_ text: String) -> [UInt8]? {
        if text.contains(":") { return parseIPv6(text) }
        return parseIPv4(text)
    }

    static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        var head = text
        var tailIPv4: [UInt8] = []
        // An embedded IPv4 tail (::ffff:192.0.2.1) fills the last 32 bits.
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = parseIPv4(String(text[text.index(after: lastColon)...])) else { return nil }
            tailIPv4 = v4
            head = String(text[...lastColon])
            if head.hasSuffix(":") && !head.hasSuffix("::") { head.removeLast() }
        }
        let groupsWanted = tailIPv4.isEmpty ? 8 : 6
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        var words: [UInt16]
        if let range = head.range(of: "::") {
            guard head[range.upperBound...].range(of: "::") == nil,
                  let left = groups(head[head.startIndex..<range.lowerBound]),
                  let right = groups(head[range.upperBound...]),
                  left.count + right.count < groupsWanted else { return nil }
            words = left + Array(repeating: 0, count: groupsWanted - left.count - right.count) + right
        } else {
            guard let all = groups(Substring(head)), all.count == groupsWanted else { return nil }
            words = all
        }
        var bytes: [UInt8] = []
        for word in words { bytes += [UInt8(word >> 8), UInt8(word & 0xFF)] }
        return bytes + tailIPv4
    }
}
