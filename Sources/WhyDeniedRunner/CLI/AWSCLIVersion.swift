/// The version `aws --version` reports (`aws-cli/1.45.11 Python/3.11.7 …` or
/// `aws-cli/2.15.0 Python/3.11.6 …`; v1 may print it on stderr), and whether it is new enough.
///
/// ```swift
/// let version = AWSCLIVersion(versionOutput: "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64")
/// version?.major                 // 2
/// version?.isSupported           // true
/// ```
public struct AWSCLIVersion: Sendable, Comparable, CustomStringConvertible {
    public var components: [Int]

    /// Oldest v1 and v2 releases accepted: both print `NextToken`/`--starting-token` paging the
    /// way the runner expects and know every command in the access-denied runbook.
    public static let minimumV1 = AWSCLIVersion(components: [1, 18, 0])
    public static let minimumV2 = AWSCLIVersion(components: [2, 0, 0])

    public init(components: [Int]) { self.components = components }

    public init?(versionOutput: String) {
        guard let range = versionOutput.range(of: "aws-cli/") else { return nil }
        let token = versionOutput[range.upperBound...].prefix(while: { $0.isNumber || $0 == "." })
        let numbers = token.split(separator: ".").compactMap { Int($0) }
        guard !numbers.isEmpty else { return nil }
        components = numbers
    }

    public var major: Int { components.first ?? 0 }
    public var description: String { components.map(String.init).joined(separator: ".") }
    public var minimum: AWSCLIVersion { major >= 2 ? Self.minimumV2 : Self.minimumV1 }
    public var isSupported: Bool { self >= minimum }

    public static func < (lhs: AWSCLIVersion, rhs: AWSCLIVersion) -> Bool {
        let count = max(lhs.components.count, rhs.components.count)
        for index in 0..<count {
            let left = index < lhs.components.count ? lhs.components[index] : 0
            let right = index < rhs.components.count ? rhs.components[index] : 0
            if left != right { return left < right }
        }
        return false
    }

    public static func == (lhs: AWSCLIVersion, rhs: AWSCLIVersion) -> Bool { !(lhs < rhs) && !(rhs < lhs) }
}
