/// One IAM action as the Service Authorization Reference describes it.
///
/// Example: `s3:GetObject` has access level `Read`, resource types `object` (ARN template
/// `arn:${Partition}:s3:::${BucketName}/${ObjectName}`) and `accesspointobject`, and condition
/// keys such as `s3:ExistingObjectTag/<key>`. An action with no resource types (for example
/// `s3:ListAllMyBuckets`) can only be granted with `"Resource": "*"`.
public struct CatalogAction: Sendable, Equatable {
    public let servicePrefix: String
    public let name: String
    public let accessLevel: String
    public let resourceTypes: [ResourceTypeUse]
    public let conditionKeys: [String]
    public let dependentActions: [String]

    /// `prefix:Name`, the form used in policies.
    public var iamAction: String { "\(servicePrefix):\(name)" }

    /// True when the action has no resource type, so only `"Resource": "*"` grants it.
    public var hasNoResourceType: Bool { resourceTypes.isEmpty }

    /// Every condition key the action supports: its own plus those of its resource types.
    public var allConditionKeys: [String] {
        var seen = Set<String>()
        return (conditionKeys + resourceTypes.flatMap(\.conditionKeys)).filter { seen.insert($0.lowercased()).inserted }
    }
}

/// A resource type an action can act on, with its ARN template and whether the action requires it.
///
/// Example: `s3:PutObject` uses `object` (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
public struct ResourceTypeUse: Sendable, Equatable {
    public let name: String
    public let arnTemplate: ArnTemplate
    public let required: Bool
    public let conditionKeys: [String]
    public let dependentActions: [String]
}
