import WhyDeniedJSON

/// `organizations list-parents` → the parent's id as a one-item list when it is an OU, an empty
/// list when it is the root: the runbook climbs from the account while the list is not empty.
///
/// ```swift
/// // {"Parents": [{"Id": "ou-a1b2-c3d4e5f6", "Type": "ORGANIZATIONAL_UNIT"}]}  →  ["ou-a1b2-c3d4e5f6"]
/// // {"Parents": [{"Id": "r-a1b2", "Type": "ROOT"}]}                            →  []
/// ```
enum OrganizationParentParser {
    static func parse(_ output: JSONValue) throws(OutputParsers.ParseError) -> JSONValue {
        guard let parents = output["Parents"]?.arrayValue, let parent = parents.first,
              let id = parent["Id"]?.stringValue, let type = parent["Type"]?.stringValue else {
            throw OutputParsers.ParseError(parser: "organization_parent", reason: "the output has no Parents[0].Id and Parents[0].Type")
        }
        switch type {
        case "ORGANIZATIONAL_UNIT": return .array([.string(id)])
        case "ROOT": return .array([])
        default:
            throw OutputParsers.ParseError(parser: "organization_parent", reason: "Parents[0].Type is \(type), expected ROOT or ORGANIZATIONAL_UNIT")
        }
    }
}
