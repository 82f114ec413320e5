import WhyDeniedJSON

/// The AWS CLI argv that writes a policy document to where it lives. Works with AWS CLI v1 and
/// v2 (no v2-only flags); documents are passed inline as compact JSON.
enum FixCommands {
    static func json(_ document: JSONValue) -> String { document.serialized(pretty: false) }

    /// Writes `document` as the new content of an existing policy.
    static func replace(_ policy: PolicyReference, document: JSONValue, resourceArn: String?) -> [FixCommand] {
        let text = json(document)
        switch policy.type {
        case .identityBased, .permissionsBoundary, .sessionPolicy:
            if let arn = policy.arn, arn.contains(":policy/") {
                return [FixCommand(purpose: "Make the edited document the default version of \(policy.name) (IAM keeps at most 5 versions: delete an old non-default one first if it has 5)",
                                   argv: ["aws", "iam", "create-policy-version", "--policy-arn", arn, "--policy-document", text, "--set-as-default"],
                                   alternative: false)]
            }
            guard let attachment = policy.attachment else { return [] }
            let (verb, flag): (String, String) = switch attachment.holder {
            case .role: ("put-role-policy", "--role-name")
            case .user: ("put-user-policy", "--user-name")
            case .group: ("put-group-policy", "--group-name")
            }
            return [FixCommand(purpose: "Replace inline policy \(policy.name) of \(attachment.holder.rawValue) \(attachment.holderName)",
                               argv: ["aws", "iam", verb, flag, attachment.holderName, "--policy-name", policy.name, "--policy-document", text],
                               alternative: false)]
        case .resourceBased:
            guard let resourceArn, let bucket = s3Bucket(resourceArn) else { return [] }
            return [FixCommand(purpose: "Replace the bucket policy of \(bucket)",
                               argv: ["aws", "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", text], alternative: false)]
        case .kmsKeyPolicy:
            guard let resourceArn else { return [] }
            return [FixCommand(purpose: "Replace the key policy of \(resourceArn)",
                               argv: ["aws", "kms", "put-key-policy", "--key-id", resourceArn, "--policy-name", "default", "--policy", text],
                               alternative: false)]
        case .roleTrustPolicy:
            guard let resourceArn, let role = resourceArn.split(separator: "/").last else { return [] }
            return [FixCommand(purpose: "Replace the trust policy of role \(role)",
                               argv: ["aws", "iam", "update-assume-role-policy", "--role-name", String(role), "--policy-document", text],
                               alternative: false)]
        case .serviceControlPolicy, .resourceControlPolicy:
            guard let id = policy.arn else { return [] }
            return [FixCommand(purpose: "Update \(policy.type.displayName) \(policy.name) in the management account (affects every account below \(policy.organizationLevel ?? "its targets"))",
                               argv: ["aws", "organizations", "update-policy", "--policy-id", id, "--content", text], alternative: false)]
        case .vpcEndpointPolicy:
            guard let endpoint = resourceArn else { return [] }
            return [FixCommand(purpose: "Replace the policy of VPC endpoint \(endpoint)",
                               argv: ["aws", "ec2", "modify-vpc-endpoint", "--vpc-endpoint-id", endpoint, "--policy-document", text],
                               alternative: false)]
        }
    }

    /// A new inline policy on a role or user, and as an alternative a new managed policy attached to it.
    static func addIdentityPolicy(holderArn: String, holderIsUser: Bool, name: String, document: JSONValue) -> [FixCommand] {
        let text = json(document)
        let holderName = String(holderArn.split(separator: "/").last ?? Substring(holderArn))
        let (verb, attach, flag) = holderIsUser ? ("put-user-policy", "attach-user-policy", "--user-name")
                                                : ("put-role-policy", "attach-role-policy", "--role-name")
        var commands = [FixCommand(purpose: "Add inline policy \(name) to \(holderIsUser ? "user" : "role") \(holderName)",
                                   argv: ["aws", "iam", verb, flag, holderName, "--policy-name", name, "--policy-document", text],
                                   alternative: false)]
        if let parts = ArnParts(holderArn) {
            let policyArn = "arn:\(parts.partition):iam::\(parts.account):policy/\(name)"
            commands.append(FixCommand(purpose: "Or: create managed policy \(name)",
                                       argv: ["aws", "iam", "create-policy", "--policy-name", name, "--policy-document", text],
                                       alternative: true))
            commands.append(FixCommand(purpose: "…and attach it to \(holderName)",
                                       argv: ["aws", "iam", attach, flag, holderName, "--policy-arn", policyArn],
                                       alternative: true))
        }
        return commands
    }

    static func s3Bucket(_ arn: String) -> String? {
        guard let parts = ArnParts(arn), parts.service == "s3", parts.account.isEmpty, !parts.resource.isEmpty else { return nil }
        return String(parts.resource.split(separator: "/", maxSplits: 1).first ?? "")
    }
}
