/// One resource type an action is authorized against, and the ARN a fix grants for it.
///
/// AWS authorizes some actions against several resources at once: `ec2:RunInstances` needs the
/// instance, the image, the subnet, the network interface and the security group (the catalog's
/// required types), plus the key pair, volume or launch template when the request uses them. A
/// fix that names only the resource in the error message fails again on the next one.
///
/// ```swift
/// let grants = ResourceTypeGrant.grants(for: runInstances, candidates: [...], values: ["Region": "us-east-1", ...])
/// grants.map(\.resourceType)   // ["image", "instance", "network-interface", "security-group", "subnet"]
/// grants[0].origin             // .evidence("the event's requestParameters (imageId)")
/// ```
public struct ResourceTypeGrant: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        /// The ARN is in the evidence; the text says where.
        case evidence(String)
        /// The catalog's ARN template scoped to what is known (partition, region, account), `*`
        /// for the rest; the text says why no concrete value is known.
        case scopedTemplate(String)
    }

    /// An ARN the evidence offers, and where it was found.
    public struct Candidate: Sendable, Hashable {
        public var arn: String
        public var source: String

        public init(arn: String, source: String) {
            self.arn = arn
            self.source = source
        }
    }

    public var resourceType: String
    public var arn: String
    public var required: Bool
    public var arnTemplate: ArnTemplate
    public var origin: Origin

    /// Every required resource type of `action`, and every optional one the evidence names.
    /// Each gets the first candidate of its shape; a required type without one gets its template
    /// filled from `values` (partition, region, account, request parameters) and `*` for the rest.
    public static func grants(for action: CatalogAction, candidates: [Candidate], values: [String: String]) -> [ResourceTypeGrant] {
        var grants: [ResourceTypeGrant] = []
        for use in action.resourceTypes {
            if let found = candidates.first(where: { use.arnTemplate.matches($0.arn) }) {
                grants.append(ResourceTypeGrant(resourceType: use.name, arn: found.arn, required: use.required,
                                                arnTemplate: use.arnTemplate, origin: .evidence(found.source)))
            } else if use.required {
                let missing = use.arnTemplate.placeholders.filter { name in !values.keys.contains { $0.caseInsensitiveCompare(name) == .orderedSame } }
                var scoped = values
                for name in missing { scoped[name] = "*" }
                guard let arn = use.arnTemplate.filled(scoped) else { continue }
                let why = missing.isEmpty ? "the evidence names no \(use.name)" : "the evidence gives no \(missing.joined(separator: ", "))"
                grants.append(ResourceTypeGrant(resourceType: use.name, arn: arn, required: true, arnTemplate: use.arnTemplate,
                                                 origin: .scopedTemplate(why)))
            }
        }
        return grants
    }

    /// Why this ARN is in the statement, for the fix's element reasons.
    public func reason(action: String) -> String {
        let article = "aeiou".contains(resourceType.prefix(1).lowercased()) ? "an" : "a"
        let need = required ? "\(action) requires \(article) \(resourceType) resource" : "the request uses \(article) \(resourceType), which \(action) is authorized against"
        switch origin {
        case .evidence(let source):
            return "From the event (\(source)): \(need) (\(arnTemplate)); nothing broader."
        case .scopedTemplate(let why):
            return "From the catalog's template \(arnTemplate), not the event: \(need), and \(why), so it is scoped to the account and region with * for the rest."
        }
    }
}
