import WhyDeniedJSON
import WhyDeniedRunbook

/// Where a resource policy lives in Terraform and CloudFormation: the `asCode` column of the
/// resource's `ResourcePolicyService` row, so a service is one row. A row without it gets no
/// code rendering (its fix is shown as CLI commands only).
enum ResourcePolicyCode {
    struct Placement {
        var terraform: String
        var cloudFormationType: String
        var properties: [(key: String, value: JSONValue)]
    }

    static func place(arn: String, local: String, policyJSON: String, document: JSONValue) -> Placement? {
        guard let (row, name) = ResourcePolicyService.row(forArn: arn), let code = row.asCode,
              let fields = ResourcePolicyService.ARNFields(arn) else { return nil }
        let target = code.target(fields, name)
        return Placement(terraform: FixAsCode.block(code.terraformResource, local,
                                                    [(code.terraformTarget, PolicyDocumentHCL.quoted(target)), ("policy", policyJSON)]),
                         cloudFormationType: code.cloudFormationType,
                         properties: [(code.cloudFormationTarget, code.cloudFormationTargetIsList ? .array([.string(target)]) : .string(target)),
                                      (code.cloudFormationDocument, document)])
    }
}
