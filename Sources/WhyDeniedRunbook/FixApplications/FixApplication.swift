import Foundation
import WhyDeniedJSON

/// How one kind of fix is applied: the runbook commands that back up what it replaces, change
/// it and read it back, and, once a change ran, what it changed and how to undo it. Every
/// `fix.kind` the session can set has one (`FixApplications.all`); the implement step's
/// commands are rendered from them (`commands_from: fix_applications`), so the runbook names no
/// kind. The target and the undo come from the fix's facts and the step's captures, never from
/// the argv read back.
///
/// ```swift
/// let application = FixApplications.application(forKind: "bucket_policy")
/// application?.commands.map(\.id)    // ["backup_bucket_policy", "put_bucket_policy", "verify_bucket_policy"]
/// application?.applied("put_bucket_policy", FixContext(facts: facts, backup: nil))?.rollback
/// // [["aws", "s3api", "delete-bucket-policy", "--bucket", "reports"]]
/// ```
public protocol FixApplication: Sendable {
    /// The `fix.kind` fact's value.
    var kind: String { get }
    /// Its commands, `{{facts.fix.*}}` and `{{captures.*}}` in their argv, each in its phase.
    var commands: [FixCommand] { get }
    /// What the change `commandID` did and its undo; nil for a command of this kind that is no
    /// change.
    func applied(_ commandID: String, _ context: FixContext) -> FixChange?
    /// What the fix writes, in the operator's words, before it runs (the change dialog's title).
    func proposedTarget(_ context: FixContext) -> String
}

/// What a fix's change reads: the session's facts (`fix.*`, `principal.*`), the captures so far
/// (`created_policy_arn`, `version_to_delete`), the change's own output and the backup read of
/// what it replaced (nil when there was none).
///
/// ```swift
/// let context = FixContext(facts: ["fix.kind": .string("new_policy_version"), "fix.policy_arn": .string(arn)],
///                          captures: ["version_to_delete": .string("v2")], backup: getPolicyVersionOutput)
/// context.capture("version_to_delete")   // "v2"
/// ```
public struct FixContext: Sendable {
    public var facts: [String: JSONValue]
    public var captures: [String: JSONValue]
    public var output: JSONValue?
    public var backup: JSONValue?

    public init(facts: [String: JSONValue], captures: [String: JSONValue] = [:], output: JSONValue? = nil, backup: JSONValue? = nil) {
        self.facts = facts
        self.captures = captures
        self.output = output
        self.backup = backup
    }

    /// A text fact (`fix.bucket`), "?" when missing: the record still says what ran.
    public func fact(_ name: String) -> String { facts[name]?.stringValue ?? "?" }

    public func capture(_ name: String) -> String? { captures[name]?.stringValue }

    /// The fix's new document (`fix.policy_document`, an object or JSON text).
    public var document: JSONValue? { facts["fix.policy_document"].flatMap(CLIPolicyDocument.decode) }
}

/// A change that ran: what it changed (in the operator's words), the commands that undo it, and
/// the policy whose document it wrote (the offline re-check evaluates the denied request with
/// `fix.policy_document` in its place); nil `writes` for a change that writes no fix document.
///
/// ```swift
/// FixChange(target: "bucket policy of reports", rollback: [["aws", "s3api", "delete-bucket-policy", "--bucket", "reports"]],
///           writes: .bucketPolicy(bucket: "reports"))
/// ```
public struct FixChange: Sendable, Equatable {
    public var target: String
    public var rollback: [[String]]
    public var writes: WrittenPolicy?

    public init(target: String, rollback: [[String]], writes: WrittenPolicy? = nil) {
        self.target = target
        self.rollback = rollback
        self.writes = writes
    }
}

/// The policy a change writes, as the evaluator's snapshot names it; the session turns it into
/// the `PolicyChangeTarget` its offline re-check replaces.
///
/// ```swift
/// WrittenPolicy.inlinePolicy(owner: .role, ownerName: "app", policyName: "WhyDeniedFix")
/// ```
public enum WrittenPolicy: Sendable, Equatable {
    public enum Owner: String, Sendable, Equatable { case user, role, group }
    case inlinePolicy(owner: Owner, ownerName: String, policyName: String)
    case bucketPolicy(bucket: String)
    case trustPolicy(role: String)
    /// The new default version of a managed policy.
    case managedPolicy(arn: String)
    /// The inline policy Identity Center provisions on the caller's own role (`AWSReservedSSO_…`),
    /// which the fix's facts do not name.
    case callerRoleInlinePolicy(policyName: String)
}

/// Policy documents as the CLI returns them: an object, JSON text or URL-encoded JSON text
/// (`get-role-policy`'s `PolicyDocument`).
///
/// ```swift
/// CLIPolicyDocument.decode(.string("%7B%22Version%22%3A%222012-10-17%22%7D"))   // {"Version":"2012-10-17"}
/// ```
public enum CLIPolicyDocument {
    public static func decode(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object: return value
        case .string(let text):
            if let parsed = try? JSONValue.parse(text) { return parsed }
            if let decoded = text.removingPercentEncoding, let parsed = try? JSONValue.parse(decoded) { return parsed }
            return nil
        default: return nil
        }
    }
}
