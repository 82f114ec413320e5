/// The IAM actions one API call needs, as found from its CloudTrail `eventSource` + `eventName`.
///
/// Example: S3 `ListObjectsV2` needs `s3:ListBucket`; S3 `GetObject` needs `s3:GetObject` and,
/// only when the object is encrypted with SSE-KMS under a customer managed key, `kms:Decrypt`
/// (a hint, not a requirement, because the event does not say how the object is encrypted).
public struct ApiCallActions: Sendable, Equatable {
    /// How the actions were found, from most to least certain.
    public enum Basis: String, Sendable, Equatable, Codable {
        /// The hand-kept table of calls whose action is not `prefix:eventName`.
        case knownMapping
        /// `prefix:eventName` exists in the catalog.
        case sameNameAction
        /// The call needs no permission (for example `sts:GetCallerIdentity`).
        case permissionless
        /// Nothing found; `actions` holds the `prefix:eventName` guess, which the catalog lacks.
        case unknown
    }

    /// An action that may also be needed, and when.
    public struct Hint: Sendable, Hashable, Codable {
        public let action: String
        public let when: String
    }

    public let servicePrefix: String
    public let apiName: String
    public let actions: [String]
    public let hints: [Hint]
    public let basis: Basis
}
