import WhyDeniedJSON

/// A fix as infrastructure code: Terraform (an `aws_iam_policy_document` data source and the
/// resource that puts it in place) and a CloudFormation template with the matching resource, for
/// teams whose IAM lives in code, where a change applied by hand is reverted by the next deploy.
///
/// ```swift
/// let code = FixAsCode.render(policyToAdd)
/// code?.terraform        // data "aws_iam_policy_document" … resource "aws_iam_role_policy" …
/// code?.cloudFormation   // AWSTemplateFormatVersion … Type: "AWS::IAM::RolePolicy"
/// ```
public struct FixAsCode: Sendable, Hashable, Codable {
    public var terraform: String
    public var cloudFormation: String
    /// The document the code carries (compared with the JSON fix in tests).
    public var document: JSONValue
    /// Said when the code holds only the new statements of a policy that has others.
    public var note: String?

    /// `owner` moves an Identity Center role's grant to its permission set, where it sticks.
    public static func render(_ fix: PolicyToAdd, owner: FixTargetOwner = .direct) -> FixAsCode? {
        let document = fix.replacementDocument ?? fix.policy
        let local = PolicyDocumentHCL.identifier(fix.policyName.isEmpty ? "whydenied_fix" : fix.policyName)
        let logical = logicalId(fix.policyName)
        let dataSource = PolicyDocumentHCL.dataSource(named: local, document: document)
        let policyJSON = "data.aws_iam_policy_document.\(local).json"
        let q = PolicyDocumentHCL.quoted
        let arn = fix.attachmentTargetArn
        let name = lastSegment(arn)
        let partial = fix.replacementDocument == nil
            ? "Holds only the new statements: merge them into the policy's existing statements before applying."
            : nil
        var note: String? = nil
        let resource: String
        let cfnType: String
        var properties: [(key: String, value: JSONValue)]
        var parameters: [(key: String, value: JSONValue)] = []

        let permissionSet: String? = if case .identityCenter(let name) = owner { name } else { nil }

        switch fix.target {
        case .roleInlinePolicy where permissionSet != nil:
            let permissionSet = permissionSet ?? ""   // set: the case requires it
            note = "A permission set has one inline policy: merge these statements into it, then provision the permission set to its accounts."
            resource = """
                data "aws_ssoadmin_instances" "\(local)" {}

                data "aws_ssoadmin_permission_set" "\(local)" {
                  instance_arn = tolist(data.aws_ssoadmin_instances.\(local).arns)[0]
                  name         = \(q(permissionSet))
                }

                """ + block("aws_ssoadmin_permission_set_inline_policy", local, [
                    ("instance_arn", "tolist(data.aws_ssoadmin_instances.\(local).arns)[0]"),
                    ("permission_set_arn", "data.aws_ssoadmin_permission_set.\(local).arn"),
                    ("inline_policy", policyJSON),
                ])
            cfnType = "AWS::SSO::PermissionSet"
            parameters = [("InstanceArn", .object(JSONObject([("Type", .string("String")),
                                                              ("Description", .string("ARN of the IAM Identity Center instance"))])))]
            properties = [("InstanceArn", .object(JSONObject([("Ref", .string("InstanceArn"))]))),
                          ("Name", .string(permissionSet)), ("InlinePolicy", document)]
        case .roleInlinePolicy, .userInlinePolicy:
            let isRole = fix.target == .roleInlinePolicy
            resource = block(isRole ? "aws_iam_role_policy" : "aws_iam_user_policy", local,
                             [("name", q(fix.policyName)), (isRole ? "role" : "user", q(name)), ("policy", policyJSON)])
            cfnType = isRole ? "AWS::IAM::RolePolicy" : "AWS::IAM::UserPolicy"
            properties = [("PolicyName", .string(fix.policyName)), (isRole ? "RoleName" : "UserName", .string(name)),
                          ("PolicyDocument", document)]
        case .permissionsBoundary:
            resource = block("aws_iam_policy", local, [("name", q(name)), ("policy", policyJSON)])
            cfnType = "AWS::IAM::ManagedPolicy"
            properties = [("ManagedPolicyName", .string(name)), ("PolicyDocument", document)]
        case .kmsKeyPolicy:
            note = partial
            resource = block("aws_kms_key_policy", local, [("key_id", q(arn)), ("policy", policyJSON)])
            cfnType = "AWS::KMS::Key"
            properties = [("Description", .string("The key \(arn); the key policy is a property of the key")),
                          ("KeyPolicy", document)]
        case .roleTrustPolicy:
            note = partial
            resource = block("aws_iam_role", local, [("name", q(name)), ("assume_role_policy", policyJSON)])
            cfnType = "AWS::IAM::Role"
            properties = [("RoleName", .string(name)), ("AssumeRolePolicyDocument", document)]
        case .serviceControlPolicy, .resourceControlPolicy:
            let type = fix.target == .serviceControlPolicy ? "SERVICE_CONTROL_POLICY" : "RESOURCE_CONTROL_POLICY"
            resource = block("aws_organizations_policy", local, [("name", q(fix.policyName)), ("type", q(type)), ("content", policyJSON)])
                + "\n\n" + block("aws_organizations_policy_attachment", local,
                                 [("policy_id", "aws_organizations_policy.\(local).id"), ("target_id", q(arn))])
            cfnType = "AWS::Organizations::Policy"
            properties = [("Name", .string(fix.policyName)), ("Type", .string(type)), ("Content", document),
                          ("TargetIds", .array([.string(arn)]))]
        case .vpcEndpointPolicy:
            note = partial
            resource = block("aws_vpc_endpoint_policy", local, [("vpc_endpoint_id", q(arn)), ("policy", policyJSON)])
            cfnType = "AWS::EC2::VPCEndpoint"
            parameters = [("VpcId", .object(JSONObject([("Type", .string("AWS::EC2::VPC::Id"))]))),
                          ("ServiceName", .object(JSONObject([("Type", .string("String"))])))]
            properties = [("VpcId", .object(JSONObject([("Ref", .string("VpcId"))]))),
                          ("ServiceName", .object(JSONObject([("Ref", .string("ServiceName"))]))),
                          ("PolicyDocument", document)]
        case .resourcePolicy:
            note = partial
            guard let placed = ResourcePolicyCode.place(arn: arn, local: local, policyJSON: policyJSON, document: document) else {
                return nil
            }
            resource = placed.terraform
            cfnType = placed.cloudFormationType
            properties = placed.properties
        }

        var template: [(key: String, value: JSONValue)] = [
            ("AWSTemplateFormatVersion", .string("2010-09-09")),
            ("Description", .string("whydenied fix: \(fix.policyName) on \(arn)")),
        ]
        if !parameters.isEmpty { template.append(("Parameters", .object(JSONObject(parameters)))) }
        template.append(("Resources", .object(JSONObject([
            (logical, .object(JSONObject([("Type", .string(cfnType)), ("Properties", .object(JSONObject(properties)))]))),
        ]))))
        return FixAsCode(terraform: dataSource + "\n\n" + resource + "\n",
                         cloudFormation: BlockYAML.render(.object(JSONObject(template))) + "\n",
                         document: document, note: note)
    }

    static func block(_ type: String, _ name: String, _ attributes: [(String, String)]) -> String {
        let width = attributes.map(\.0.count).max() ?? 0
        let body = attributes.map { "  \($0.0.padding(toLength: width, withPad: " ", startingAt: 0)) = \($0.1)" }
        return (["resource \"\(type)\" \"\(name)\" {"] + body + ["}"]).joined(separator: "\n")
    }

    static func lastSegment(_ arn: String) -> String {
        String(arn.split(separator: "/").last ?? arn.split(separator: ":").last ?? Substring(arn))
    }

    /// CloudFormation logical ids are alphanumeric.
    static func logicalId(_ name: String) -> String {
        let words = name.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
        let joined = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return joined.first?.isLetter == true ? joined : "WhyDeniedFix" + joined
    }
}
