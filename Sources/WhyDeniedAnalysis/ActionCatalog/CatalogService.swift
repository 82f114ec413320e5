/// One AWS service in the catalog: its IAM prefix, resource types with ARN formats, condition
/// keys with their types, and whether resource control policies (RCPs) apply to it.
///
/// Example: `s3` ("Amazon S3") has resource type `bucket` = `arn:${Partition}:s3:::${BucketName}`
/// and condition key `s3:prefix` of type `String`.
public struct CatalogService: Sendable {
    public let prefix: String
    public let name: String
    public let supportsResourceControlPolicies: Bool
    /// Resource type name → ARN template.
    public let resourceTypes: [String: ArnTemplate]
    /// Condition key (as the reference spells it) → type (`String`, `ARN`, `Bool`, `Date`, …).
    public let conditionKeys: [String: String]
    /// Lower-cased action name → action.
    let actionsByLowercasedName: [String: CatalogAction]

    /// Every action of the service, sorted by name.
    public var actions: [CatalogAction] { actionsByLowercasedName.values.sorted { $0.name < $1.name } }

    /// The action with this name (case-insensitive, without the prefix).
    public func action(named name: String) -> CatalogAction? { actionsByLowercasedName[name.lowercased()] }

    init(file: ServiceFile, supportsResourceControlPolicies: Bool) {
        prefix = file.p
        name = file.name
        self.supportsResourceControlPolicies = supportsResourceControlPolicies
        let templates = file.rt.mapValues { ArnTemplate($0.arn) }
        resourceTypes = templates
        conditionKeys = file.ck
        var actions: [String: CatalogAction] = [:]
        for entry in file.act {
            let uses = (entry.rt ?? []).map { use in
                ResourceTypeUse(name: use.t, arnTemplate: templates[use.t] ?? ArnTemplate(""),
                                required: use.r == 1, conditionKeys: use.k ?? [], dependentActions: use.d ?? [])
            }
            actions[entry.n.lowercased()] = CatalogAction(
                servicePrefix: file.p, name: entry.n, accessLevel: entry.a, resourceTypes: uses,
                conditionKeys: entry.k ?? [], dependentActions: entry.d ?? [])
        }
        actionsByLowercasedName = actions
    }
}
