/// The facts a runbook may name as `{{facts.NAME}}` or `when: {fact: NAME, ...}`: values the
/// caller works out outside the engine (from the parameters, pasted evidence or a named
/// analysis) and hands in through `StepEngine(facts:)`, `learn(facts:)` or `recordAnalysis`.
///
/// A runbook naming a fact not listed here is rejected, so a typo can't silently block a step.
///
/// ```swift
/// FactCatalog.isKnown("principal.kind")   // true
/// FactCatalog.facts["time.start"]          // "start of the time frame, ISO 8601 UTC ..."
/// ```
public enum FactCatalog {
    /// Fact name → what it holds and who provides it.
    public static let facts: [String: String] = [
        // From the `principal` parameter (Evidence: ARN parsing).
        "principal.kind": "user | role | assumed_role | federated_user (a GetFederationToken session); from the principal parameter or evidence",
        "principal.name": "IAM user name, or role name (also for an assumed-role session)",
        "principal.arn": "IAM ARN of the user or role (the role ARN for an assumed-role session)",
        "principal.account_id": "12-digit account of the principal",
        "principal.session_name": "role session name of an assumed-role principal",
        "principal.permission_set": "the IAM Identity Center permission set an AWSReservedSSO_<name>_<hash> role was made from",
        "principal.event_username": "what CloudTrail records as Username: the user name, or the role session name",
        "principal.access_key_id": "the temporary access key (ASIA…) the denied call was signed with: the denied event's userIdentity.accessKeyId",
        // From the time_frame parameter (Evidence: time ranges).
        "time.start": "start of the time frame, ISO 8601 UTC (2023-06-15T14:00:00Z)",
        "time.end": "end of the time frame, ISO 8601 UTC",
        "time.start_ms": "start of the time frame in epoch milliseconds (CloudWatch Logs)",
        "time.end_ms": "end of the time frame in epoch milliseconds",
        "time.session_start": "start of the window in which the caller's session was issued: the event's session creationDate minus 5 minutes, else the time frame's start minus 12 hours (the longest role session)",
        "time.session_end": "end of that window: the session creationDate plus 5 minutes, else the time frame's end",
        // From the resource parameter, the error message, or summarize_denials.
        "resource.arn": "ARN of the resource the request was denied on",
        "resource.service": "CLI service that owns the resource's policy (ResourcePolicyService.cliService: s3api, kms, sqs, events, …)",
        "resource.id": "the identifier that service's policy read takes (bucket name, key id, queue name, bus name, collection id, role name, …)",
        "resource.policy_kind": "the ResourcePolicyService row that reads the resource's policy (bucket, key, queue, event_bus, …)",
        "resource.account_id": "12-digit account in the resource's ARN (empty for an S3 bucket ARN)",
        "resource.other_account": "the account that owns the resource when it is not the principal's (the resource profile's account, or the one in the resource's ARN): step check_resource_account_rcps reads its RCPs",
        "resource.parent_id": "the resource that contains it, when its read names both (a CodeArtifact repository's domain)",
        "resource.object_key": "the key of the S3 object the request names (arn:aws:s3:::bucket/KEY); absent for a bucket",
        // From summarize_denials (step parse_events) or the pasted error message.
        "denial.action": "denied action as service:Action, e.g. s3:GetObject",
        "denial.event_name": "CloudTrail eventName of the denied call, e.g. GetObject",
        "denial.error_code": "AccessDenied, UnauthorizedOperation, ...",
        "denial.resource_arn": "resource ARN in the denied request, when known",
        "denial.deny_type": "implicit | explicit | unknown, from the error message or evaluation",
        "denial.policy_type": "the policy type the error message blames (DenyingPolicyType: identityBased, sessionPolicy, serviceControlPolicy, …)",
        "denial.vpc_endpoint_id": "the VPC endpoint the denied request came through (vpce-…): the event's vpcEndpointId, or aws:SourceVpce of the decoded authorization message",
        "denial.encoded_message": "the blob after \"Encoded authorization failure message:\" in the pasted error, for sts decode-authorization-message",
        // From recommend_fix (step recommend).
        "fix.kind": "new_managed_policy_user | new_managed_policy_role | user_inline_policy | role_inline_policy | new_policy_version | bucket_policy | trust_policy | permission_set_inline_policy",
        "fix.policy_name": "name of the policy to create or put",
        "fix.policy_arn": "ARN of the managed policy that gets a new version",
        "fix.current_version": "current default version id of that managed policy (backed up first)",
        "fix.policy_document": "the new policy document (JSON object or text)",
        "fix.bucket": "bucket whose policy is replaced",
        "fix.role": "role whose trust policy is replaced",
        "fix.instance_arn": "the IAM Identity Center instance whose permission set gets the fix",
        "fix.permission_set_arn": "the permission set whose inline policy is replaced (then provisioned)",
        "fix.permission_set": "the permission set's name",
        "fix.owner": "who owns the fix's target when it is not applied directly: identity-center | cloudformation | infrastructure-as-code | service-linked | aws-managed",
        "fix.not_applied": "why the fix is not applied to its target directly (its owner would revert it, or refuses edits)",
        // From plan_trail_queries (step check_trails): querying the trail where it lives.
        "athena.create_table": "Athena DDL: a CloudTrail table with partition projection over the trail's S3 bucket/prefix",
        "athena.denied_events_query": "Athena SQL selecting the denied events of the principal in the time frame",
        "athena.output_location": "s3:// URI where Athena writes query results (the athena_output parameter, or the trail bucket's athena-results/ prefix)",
        "athena.work_group": "Athena work group the queries run in (primary)",
        "lake.query_select": "CloudTrail Lake SQL up to FROM: the columns of a denied event",
        "lake.query_conditions": "CloudTrail Lake SQL after FROM <event data store>: time frame, error codes, principal",
    ]

    public static let namespaces: Set<String> = ["principal", "time", "resource", "denial", "fix", "athena", "lake"]

    public static func isKnown(_ name: String) -> Bool { facts[name] != nil || isUnavailableSource(name) }

    /// Set by the engine when a command fell back on one of its `fallback_on` codes: that API is
    /// unavailable to this session (not implemented, not permitted, failing), so a later step that
    /// would call it again can say so instead of failing the same way (`when: {fact:
    /// unavailable.cloudtrail.lookup-events, present: false}`). The value is the error code.
    public static func unavailableSource(service: String, operation: String) -> String {
        "\(unavailablePrefix)\(service).\(operation)"
    }

    static let unavailablePrefix = "unavailable."

    static func isUnavailableSource(_ name: String) -> Bool {
        guard name.hasPrefix(unavailablePrefix) else { return false }
        let parts = name.dropFirst(unavailablePrefix.count).split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }
    }
}
