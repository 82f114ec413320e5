import WhyDeniedJSON

/// The smallest policy change that would let a denied request through, with a reason for every
/// element and the AWS CLI commands (argv arrays) that would apply it.
///
/// For an implicit deny it is an Allow to add (`policiesToAdd`); for an explicit deny, an edit of
/// the offending statement (`denyEdits`); for a Deny driven by a condition the request failed
/// (the seed's `NotIpAddress aws:SourceIp`), the condition and the value the request had
/// (`failedConditions`), because the usual fix is to change the request, not the policy.
///
/// ```swift
/// fix.kind                                  // .meetCondition
/// fix.failedConditions[0].key               // "aws:SourceIp"
/// fix.failedConditions[0].requestValues     // ["198.51.100.23"]
/// ```
public struct LeastPrivilegeFix: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Add an Allow (identity, resource, boundary, key or trust policy).
        case addAllow
        /// Edit the Deny statement that matched.
        case editDeny
        /// The Deny matched because of a request property; make the request meet it.
        case meetCondition
        /// The policies allow the request; nothing to change in them.
        case nothingToChange
        /// The evidence does not decide; `missingContextKeys` say what to find out.
        case cannotTell
    }

    public var kind: Kind
    public var summary: String
    public var policiesToAdd: [PolicyToAdd]
    public var denyEdits: [DenyEdit]
    public var failedConditions: [FailedCondition]
    /// Commands that apply the fix, in order. `alternative` ones are another way to do it.
    public var commands: [FixCommand]
    /// Actions the call may also need, and when (`kms:Decrypt` for SSE-KMS objects).
    public var possibleExtraActions: [ApiCallActions.Hint]
    public var missingContextKeys: [String]
    public var warnings: [String]
}

/// An Allow to add and where: a principal's inline or managed policy, a resource policy, a
/// permissions boundary, a key or trust policy, or an SCP/RCP level.
///
/// Example: inline policy `whydenied-s3-GetObject` on role `DataAnalystRole` with one statement
/// allowing `s3:GetObject` on `arn:aws:s3:::analytics-data-bucket/reports/2026/q3.csv`.
public struct PolicyToAdd: Sendable, Hashable, Codable {
    public enum Target: String, Sendable, Hashable, Codable {
        case roleInlinePolicy, userInlinePolicy, resourcePolicy, permissionsBoundary
        case kmsKeyPolicy, roleTrustPolicy, serviceControlPolicy, resourceControlPolicy, vpcEndpointPolicy

        /// The kind of policy, as the report and the screen say it.
        public var operatorWords: String {
            switch self {
            case .roleInlinePolicy: "inline policy of the role"
            case .userInlinePolicy: "inline policy of the user"
            case .resourcePolicy: "resource policy"
            case .permissionsBoundary: "permissions boundary"
            case .kmsKeyPolicy: "KMS key policy"
            case .roleTrustPolicy: "role trust policy"
            case .serviceControlPolicy: "service control policy"
            case .resourceControlPolicy: "resource control policy"
            case .vpcEndpointPolicy: "VPC endpoint policy"
            }
        }
    }

    public var target: Target
    /// The ARN (or SCP target id) the policy goes on.
    public var attachmentTargetArn: String
    public var policyName: String
    /// The new statement(s) alone, as `{"Version": …, "Statement": […]}`.
    public var policy: JSONValue
    /// One line per element of the new statements: `Statement[0].Action[0]` → why.
    public var reasons: [ElementReason]
    /// The whole document after the change, where the fix extends a policy that exists (a
    /// permissions boundary gets a new version holding its statements and the new ones; a
    /// bucket, key or trust policy read in the session keeps its statements and gains the new one).
    public var replacementDocument: JSONValue? = nil
}

/// Why one element of a recommended statement is there.
public struct ElementReason: Sendable, Hashable, Codable {
    public var element: String
    public var value: String
    public var reason: String
}

/// An edit of the Deny statement that matched, the statement as it would read after it, and
/// whether the Deny looks deliberate.
public struct DenyEdit: Sendable, Hashable, Codable {
    public enum Edit: String, Sendable, Hashable, Codable {
        /// Take the action out of the statement's Action list (or drop the statement if it was the only one).
        case removeAction
        /// Add a condition that exempts this caller.
        case addCondition
        /// Add the request's value to the condition's allowed values (loosens a network guardrail).
        case widenCondition

        /// What the edit does, as the report and the screen say it.
        public var operatorWords: String {
            switch self {
            case .removeAction: "take the action out"
            case .addCondition: "add a condition that exempts this caller"
            case .widenCondition: "widen the condition"
            }
        }
    }

    public var policy: PolicyReference
    public var statement: StatementReference
    /// The statement as it is.
    public var statementJSON: JSONValue
    public var edit: Edit
    public var description: String
    /// The statement after the edit; nil when the edit deletes it.
    public var editedStatement: JSONValue?
    /// The whole policy after the edit, when the document was available.
    public var editedPolicy: JSONValue?
    public var looksIntentional: Bool
    public var warning: String?
}

/// A condition of the deciding Deny that the request's own values triggered.
///
/// Example: `NotIpAddress` on `aws:SourceIp` expecting `203.0.113.0/24`; the request came from
/// `198.51.100.23`.
public struct FailedCondition: Sendable, Hashable, Codable {
    public var `operator`: String
    public var key: String
    public var expectedValues: [String]
    public var requestValues: [String]?
    public var advice: String
}

/// One AWS CLI command that applies (part of) a fix, as an argv array (never a shell string).
public struct FixCommand: Sendable, Hashable, Codable {
    public var purpose: String
    public var argv: [String]
    /// Another way to apply the same fix (for example a managed policy instead of an inline one).
    public var alternative: Bool
}
