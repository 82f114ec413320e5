/// An Amazon Resource Name split into its six parts.
///
/// The resource part keeps any further colons and slashes, so nothing is lost:
/// ```swift
/// let arn = ARN("arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod")!
/// arn.service        // "lambda"
/// arn.resourceType   // "function"
/// arn.resourceId     // "my-fn:prod"
/// arn.description    // the original text
/// ```
/// `init?` returns nil for text that is not `arn:<partition>:<service>:<region>:<account>:<resource>`.
public struct ARN: Sendable, Hashable, CustomStringConvertible {
    public let partition: String
    public let service: String
    public let region: String
    public let account: String
    public let resource: String

    public init(partition: String, service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    /// Parses `arn:partition:service:region:account:resource`; surrounding whitespace is ignored.
    public init?(_ text: String) {
        let trimmed = IdentityText.trimmed(text)
        guard trimmed.hasPrefix("arn:") else { return nil }
        // Split into at most six fields: the resource may itself contain colons.
        let fields = trimmed.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6 else { return nil }
        let partition = String(fields[1])
        let service = String(fields[2])
        guard !partition.isEmpty, partition.allSatisfy(ARN.isPartitionCharacter),
              !service.isEmpty, service.allSatisfy(ARN.isServiceCharacter),
              fields[3].allSatisfy(ARN.isRegionCharacter),
              !fields[5].isEmpty,
              !trimmed.contains(where: { $0.isWhitespace })
        else { return nil }
        self.init(partition: partition, service: service, region: String(fields[3]),
                  account: String(fields[4]), resource: String(fields[5]))
    }

    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }

    /// The type before the first `/` or `:` of the resource (`user`, `role`, `function`, `key`…),
    /// or nil when the resource has no type. S3 bucket and object ARNs (`arn:aws:s3:::bucket/key`)
    /// have no type: their first segment is the bucket name.
    public var resourceType: String? {
        if isS3BucketOrObject { return nil }
        guard let cut = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) else { return nil }
        return String(resource[..<cut])
    }

    /// The resource after its type (`path/name`, `my-fn:prod`), or the whole resource when untyped.
    public var resourceId: String {
        guard resourceType != nil,
              let cut = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) else { return resource }
        return String(resource[resource.index(after: cut)...])
    }

    /// S3 bucket/object ARNs carry neither region nor account (`arn:aws:s3:::bucket/key`).
    private var isS3BucketOrObject: Bool {
        service == "s3" && region.isEmpty && account.isEmpty
    }

    private static func isPartitionCharacter(_ c: Character) -> Bool {
        c == "-" || (c.isASCII && (c.isLowercase || c.isNumber))
    }

    private static func isServiceCharacter(_ c: Character) -> Bool {
        c == "-" || c == "." || (c.isASCII && (c.isLetter || c.isNumber))
    }

    private static func isRegionCharacter(_ c: Character) -> Bool {
        c == "-" || (c.isASCII && (c.isLowercase || c.isNumber))
    }
}

/// Whitespace trimming without Foundation, namespaced so it cannot clash with other files.
/// (Foundation's first `trimmingCharacters` in a process costs about 1 M instructions.)
enum IdentityText {
    static func trimmed(_ text: some StringProtocol) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[first...last])
    }
}
