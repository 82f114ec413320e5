import WhyDeniedJSON

/// One policy document held in an account snapshot, with where it is attached.
///
/// Example: the managed policy `AnalystS3Read` attached to role `DataAnalystRole`, read from
/// `policies/analyst-s3-read.json`:
/// ```swift
/// SnapshotPolicy(name: "AnalystS3Read", arn: "arn:aws:iam::111122223333:policy/AnalystS3Read",
///                attachedTo: "arn:aws:iam::111122223333:role/DataAnalystRole",
///                file: "policies/analyst-s3-read.json", document: documentJSON)
/// ```
/// A policy without `arn` is an inline policy.
public struct SnapshotPolicy: Sendable, Hashable {
    public var name: String
    /// The managed policy ARN, or the SCP/RCP id; nil for inline policies and resource policies.
    public var arn: String?
    /// Principal ARN, group ARN, resource ARN, VPC endpoint id, or organization target id.
    public var attachedTo: String
    /// Path of the document relative to the snapshot directory.
    public var file: String
    /// The policy document itself (already unwrapped and URL-decoded).
    public var document: JSONValue

    public init(name: String, arn: String? = nil, attachedTo: String, file: String, document: JSONValue) {
        self.name = name
        self.arn = arn
        self.attachedTo = attachedTo
        self.file = file
        self.document = document
    }

    /// True for an inline policy (no ARN of its own).
    public var isInline: Bool { arn == nil }
}
