import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook
@testable import WhyDeniedSession

/// Issue 14 item 2: the session policies of a role session are read from the call that issued
/// the session (CloudTrail `lookup-events` by event name), matched on the session's access key
/// or its name, and evaluated; not finding the call is said, and Undecided only when the message
/// blames a session policy. moto has no `lookup-events`: the output here is the real CLI shape
/// around real events (Fixtures/README.md).
@Suite struct SessionPolicyReadTests {
    static let fixture: JSONValue = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cloudtrail-real-session-issuers.json")
        return (try? JSONValue.parse(String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self))) ?? .null
    }()

    /// `aws cloudtrail lookup-events` output: each event as a JSON string in `CloudTrailEvent`.
    static func lookupOutput(_ events: [JSONValue]) -> JSONValue {
        .object(JSONObject([("Events", .array(events.map { event in
            .object(JSONObject([("EventId", event["eventID"] ?? .null), ("EventName", event["eventName"] ?? .null),
                                ("ReadOnly", .string("true")), ("EventTime", event["eventTime"] ?? .null),
                                ("EventSource", .string("sts.amazonaws.com")), ("CloudTrailEvent", .string(event.serialized()))]))
        }))]))
    }

    static func parse(_ events: [JSONValue], facts: [String: JSONValue]) throws -> OutputParsers.Parsed {
        try OutputParsers.parse("session_issuer", input: ParserInput(output: lookupOutput(events), facts: facts))
    }

    @Test func theDeniedEventGivesTheSessionsKeyAndWhenItWasIssued() throws {
        let denied = try #require(Self.fixture["denied_in_session"])
        let summary = try DenialSummary.summarize(captures: ["events": .array([denied])], facts: [:], action: nil)
        #expect(summary.facts["principal.access_key_id"]?.stringValue == "ASIA9F6MXE9HSYOXYQOS")
        #expect(summary.facts["principal.session_name"]?.stringValue == "aws-go-sdk-1722511821294449000")
        #expect(summary.facts["time.session_start"]?.stringValue == "2024-08-01T11:25:22Z")
        #expect(summary.facts["time.session_end"]?.stringValue == "2024-08-01T11:35:22Z")
        #expect(summary.facts["denial.policy_type"]?.stringValue == "identityBased")
        #expect(FactCatalog.isKnown("principal.access_key_id") && FactCatalog.isKnown("time.session_start") && FactCatalog.isKnown("denial.policy_type"))
    }

    @Test func theIssuingCallIsFoundByTheAccessKeyOfTheDeniedCall() throws {
        let assume = try #require(Self.fixture["assume_role"])
        let federation = try #require(Self.fixture["get_federation_token"])
        let parsed = try Self.parse([federation, assume], facts: ["principal.access_key_id": .string("ASIA9F6MXE9HSYOXYQOS"),
                                                                  "principal.session_name": .string("other-session")])
        let issuer = try #require(parsed.named["session_issuer_assume_role"])
        #expect(issuer["event_id"]?.stringValue == "04c882a5-7652-40d1-b44c-83535fc19268")
        #expect(issuer["event_name"]?.stringValue == "AssumeRole")
        #expect(issuer["matched_on"]?.stringValue == "access key id ASIA9F6MXE9HSYOXYQOS")
        #expect(issuer["policy"] == nil)
        #expect(parsed.named["session_policy_arns_assume_role"] == .array([]))
        // A key that issued nothing listed: nothing captured, not a session named alike.
        let none = try Self.parse([assume], facts: ["principal.access_key_id": .string("ASIAOTHERKEY00000000"),
                                                    "principal.session_name": .string("aws-go-sdk-1722511821294449000")])
        #expect(none.named.isEmpty)
    }

    @Test func aPassedSessionPolicyIsDecoded() throws {
        let federation = try #require(Self.fixture["get_federation_token"])
        let parsed = try Self.parse([federation], facts: ["principal.access_key_id": .string("ASIASTJKC5GCM7ZE6LUP")])
        let policy = try #require(parsed.named["session_issuer_federation_token"]?["policy"])
        #expect(policy["Statement"]?[0]?["Effect"]?.stringValue == "Allow")
        #expect(policy["Statement"]?[0]?["Action"]?.stringValue == "*")
    }

    static let roleArn = "arn:aws:iam::111122223333:role/DataAnalystRole"

    /// An AssumeRole in the documented shape with a session policy and a managed session policy.
    static func assumeRole(session: String, policy: String?, policyArns: [String] = [], key: String = "ASIAEXAMPLESESSION01",
                           time: String = "2026-11-23T00:05:00Z", id: String = "1f0e2d3c-0000-4000-8000-00000000aa01") -> JSONValue {
        var parameters: [(key: String, value: JSONValue)] = [("roleArn", .string(roleArn)), ("roleSessionName", .string(session))]
        if let policy { parameters.append(("policy", .string(policy))) }
        if !policyArns.isEmpty { parameters.append(("policyArns", .array(policyArns.map { .object(JSONObject([("arn", .string($0))])) }))) }
        return .object(JSONObject([
            ("eventVersion", .string("1.08")), ("eventTime", .string(time)), ("eventSource", .string("sts.amazonaws.com")),
            ("eventName", .string("AssumeRole")), ("eventID", .string(id)),
            ("userIdentity", .object(JSONObject([("type", .string("IAMUser")), ("arn", .string("arn:aws:iam::111122223333:user/ops"))]))),
            ("requestParameters", .object(JSONObject(parameters))),
            ("responseElements", .object(JSONObject([("credentials", .object(JSONObject([("accessKeyId", .string(key))])))]))),
        ]))
    }

    @Test func withoutTheKeyTheNewestCallNamingTheSessionAndRoleIsTaken() throws {
        let older = Self.assumeRole(session: "alice", policy: nil, time: "2026-11-23T00:01:00Z", id: "old")
        let newer = Self.assumeRole(session: "alice", policy: nil, policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                                    time: "2026-11-23T00:09:00Z", id: "new")
        let otherRole = Self.assumeRole(session: "alice", policy: nil, time: "2026-11-23T00:30:00Z", id: "other")
        let otherRoleEvent = JSONValue.object(JSONObject((otherRole.objectValue?.entries ?? []).map { entry in
            entry.key == "requestParameters" ? (entry.key, .object(JSONObject([("roleArn", .string("arn:aws:iam::111122223333:role/Other")),
                                                                                 ("roleSessionName", .string("alice"))]))) : entry
        }))
        let parsed = try Self.parse([older, otherRoleEvent, newer], facts: ["principal.session_name": .string("alice"),
                                                                            "principal.arn": .string(Self.roleArn)])
        #expect(parsed.named["session_issuer_assume_role"]?["event_id"]?.stringValue == "new")
        #expect(parsed.named["session_policy_arns_assume_role"] == .array([.string("arn:aws:iam::aws:policy/ReadOnlyAccess")]))
        #expect(throws: OutputParsers.ParseError.self) {
            try Self.parse([Self.assumeRole(session: "alice", policy: "not a policy")], facts: Self.facts)
        }
    }

    static let facts: [String: JSONValue] = [
        "principal.arn": .string(roleArn), "principal.account_id": .string("111122223333"), "principal.kind": .string("assumed_role"),
        "principal.name": .string("DataAnalystRole"), "principal.session_name": .string("alice"),
    ]
    static let rolePolicy: JSONValue = .object(JSONObject([("name", .string("ReadReports")), ("document", .object(JSONObject([
        ("Version", .string("2012-10-17")),
        ("Statement", .array([.object(JSONObject([("Effect", .string("Allow")), ("Action", .string("s3:GetObject")),
                                                  ("Resource", .string("arn:aws:s3:::reports/*"))]))])),
    ])))]))

    static func decide(captures: [String: JSONValue], facts: [String: JSONValue] = facts,
                       failed: [FailedPolicyRead] = []) throws -> EvaluationResult {
        var all = captures
        all["role_policies"] = .array([rolePolicy])
        let snapshot = try #require(CapturedAccount.snapshot(captures: all, facts: facts,
                                                             failedReads: Dictionary(uniqueKeysWithValues: failed.map { ($0.key, $0) })))
        let request = AuthorizationRequest(
            principal: RequestPrincipal(arn: "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/alice", roleArn: roleArn),
            action: "s3:GetObject", resource: RequestResource(arn: "arn:aws:s3:::reports/q1.csv", account: "111122223333"))
        let selection = try SnapshotPolicySets(snapshot).policySet(for: request)
        return PolicyEvaluator().evaluate(request, against: selection.policies)
    }

    @Test func theSessionPolicyTheIssuingCallPassedIsEvaluated() throws {
        let onlyList = #"{"Version":"2012-10-17","Statement":[{"Sid":"ListOnly","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#
        let parsed = try Self.parse([Self.assumeRole(session: "alice", policy: onlyList)], facts: Self.facts)
        let denied = try Self.decide(captures: parsed.named)
        #expect(denied.decision == .implicitDeny)
        #expect(denied.blockedBy.contains { $0.policyType == .sessionPolicy }, "\(denied.blockedBy)")

        // Issued without a session policy: the role's own Allow decides.
        let plain = try Self.parse([Self.assumeRole(session: "alice", policy: nil)], facts: Self.facts)
        #expect(try Self.decide(captures: plain.named).decision == .allowed)
        let notes = SessionPolicyReads.read(captures: plain.named, facts: Self.facts, failedReads: [:]).notes
        #expect(notes.contains { $0.contains("was issued by AssumeRole") && $0.contains("without a session policy") }, "\(notes)")
    }

    @Test func aManagedSessionPolicyIsReadAndAFailedReadOfItIsUnread() throws {
        let arn = "arn:aws:iam::111122223333:policy/ListOnly"
        var captures = try Self.parse([Self.assumeRole(session: "alice", policy: nil, policyArns: [arn])], facts: Self.facts).named
        captures["session_managed_policies"] = .array([.object(JSONObject([("kind", .string("managed")), ("arn", .string(arn)), ("document", .object(JSONObject([
            ("Version", .string("2012-10-17")),
            ("Statement", .array([.object(JSONObject([("Effect", .string("Allow")), ("Action", .string("s3:ListBucket")), ("Resource", .string("*"))]))])),
        ])))]))])
        let read = try Self.decide(captures: captures)
        #expect(read.decision == .implicitDeny)

        captures["session_managed_policies"] = nil
        let failed = FailedPolicyRead(argv: ["aws", "iam", "get-policy", "--policy-arn", arn], reason: "AccessDenied",
                                      capture: "session_managed_policy_versions", item: [arn])
        let unread = try Self.decide(captures: captures, failed: [failed])
        #expect(unread.decision == .undecided)
        #expect(unread.deciding.policy?.type == .sessionPolicy)
        #expect(unread.deciding.policy?.name.contains("managed session policy \(arn)") == true)
    }

    @Test func notFoundIsSaidAndUndecidedOnlyWhenTheMessageBlamesASessionPolicy() throws {
        let silent = SessionPolicyReads.read(captures: [:], facts: Self.facts, failedReads: [:])
        #expect(silent.unread.isEmpty)
        #expect(silent.notes.first?.contains("Session policies of session alice not read") == true, "\(silent.notes)")
        #expect(try Self.decide(captures: [:]).decision == .allowed)

        var blamed = Self.facts
        blamed["denial.policy_type"] = .string("sessionPolicy")
        let failed = FailedPolicyRead(argv: ["aws", "cloudtrail", "lookup-events"], reason: "500 answering LookupEvents", capture: "session_issuer_assume_role")
        let result = try Self.decide(captures: [:], facts: blamed, failed: [failed])
        #expect(result.decision == .undecided)
        #expect(result.deciding.policy?.name == "session policy of session alice")
        #expect(result.deciding.summary.contains("could not be read (aws cloudtrail lookup-events failed: 500 answering LookupEvents)"), "\(result.deciding.summary)")
        let message = try #require(AuthorizationErrorParser.parseIfAuthorizationError(
            "User: arn:aws:sts::111122223333:assumed-role/DataAnalystRole/alice is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::reports/q1.csv\" because no session policy allows the s3:GetObject action"))
        #expect(SessionFacts.fromParameters([:], message: message, now: Date()).facts["denial.policy_type"]?.stringValue == "sessionPolicy")
    }

    /// A GetFederationToken session: its permissions are its IAM user's policies intersected with
    /// the session policies the call passed, and neither is read yet. It used to be evaluated with
    /// no identity policy at all and called an implicit deny "no identity-based policy allows"; now
    /// both are unread and the verdict is Undecided, naming them, unless a read policy decides.
    @Test func aFederatedUsersPoliciesAreUnreadNotAbsent() throws {
        let federated = "arn:aws:sts::111122223333:federated-user/bob"
        let message = try #require(AuthorizationErrorParser.parseIfAuthorizationError(
            "User: \(federated) is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::reports/q1.csv\" because no session policy allows the s3:GetObject action"))
        // The principal as the form has it, prefilled from the message.
        let facts = SessionFacts.fromParameters(["principal": federated], message: message, now: Date()).facts
        #expect(facts["principal.kind"]?.stringValue == "federated_user")
        #expect(facts["principal.session_name"] == nil)
        let read = SessionPolicyReads.read(captures: [:], facts: facts, failedReads: [:])
        #expect(read.unread.map(\.type) == [.identityBased, .sessionPolicy])
        #expect(read.unread.first?.name == "policies of the IAM user that federated bob")
        #expect(read.unread.allSatisfy { $0.reason.contains("GetFederationToken") })

        let request = AuthorizationRequest(principal: RequestPrincipal(arn: federated), action: "s3:GetObject",
                                           resource: RequestResource(arn: "arn:aws:s3:::reports/q1.csv", account: "111122223333"))
        func verdict(bucketPolicy: String?) throws -> EvaluationResult {
            var captures: [String: JSONValue] = [:]
            if let bucketPolicy { captures["resource_policy"] = try JSONValue.parse(bucketPolicy) }
            var withBucket = facts
            withBucket["resource.policy_kind"] = .string("bucket")
            withBucket["resource.id"] = .string("reports")
            withBucket["resource.arn"] = .string("arn:aws:s3:::reports/q1.csv")
            let snapshot = try #require(CapturedAccount.snapshot(captures: captures, facts: withBucket))
            return PolicyEvaluator().evaluate(request, against: try SnapshotPolicySets(snapshot).policySet(for: request).policies)
        }
        let unknown = try verdict(bucketPolicy: nil)
        #expect(unknown.decision == .undecided)
        #expect(unknown.deciding.summary.contains("federated"), "\(unknown.deciding.summary)")
        // A read explicit Deny still decides.
        let denied = try verdict(bucketPolicy: #"{"Version":"2012-10-17","Statement":[{"Sid":"NoBob","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}"#)
        #expect(denied.decision == .explicitDeny)
    }

    /// The look-up step already met an event history that fails (moto's 500, or no
    /// cloudtrail:LookupEvents permission): the step is skipped rather than failing three more
    /// times, and the reason is said where the verdict needs it.
    @Test func anEventHistoryKnownUnavailableIsNotAskedAgain() throws {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        let step = try #require(runbook.step("check_session_policy"))
        let when = try #require(step.when)
        let lookup: (ConditionSubject) -> SubjectValue = { subject in
            switch subject {
            case .fact("principal.session_name"): .known(.string("alice"))
            case .fact("unavailable.cloudtrail.lookup-events"): .known(.string("500"))
            default: .absent
            }
        }
        #expect(when.evaluate(lookup) == false)
        #expect(when.evaluate { $0 == .fact("principal.session_name") ? .known(.string("alice")) : .absent } == true)

        var blamed = Self.facts
        blamed["denial.policy_type"] = .string("sessionPolicy")
        blamed["unavailable.cloudtrail.lookup-events"] = .string("AccessDeniedException")
        let unread = SessionPolicyReads.read(captures: [:], facts: blamed, failedReads: [:]).unread
        #expect(unread.count == 1)
        #expect(unread.first?.reason.contains("CloudTrail's event history was unavailable to this session (lookup-events: AccessDeniedException)") == true,
                "\(unread)")
    }

    @Test func theRunbookLooksUpTheIssuingCallReadOnlyForARoleSession() throws {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        let step = try #require(runbook.step("check_session_policy"))
        let lookups = step.commands.filter { $0.parser == "session_issuer" }
        #expect(lookups.map { $0.argv.map(\.description).first { $0.hasPrefix("AttributeKey=EventName") } } == [
            "AttributeKey=EventName,AttributeValue=AssumeRole", "AttributeKey=EventName,AttributeValue=AssumeRoleWithSAML",
            "AttributeKey=EventName,AttributeValue=AssumeRoleWithWebIdentity", "AttributeKey=EventName,AttributeValue=GetFederationToken"])
        for command in step.commands {
            let argv = command.argv.map(\.description)
            #expect(!CommandClassifier.bundled.classify(argv).mutates, "\(argv)")
        }
        let derived = SessionFacts.fromParameters(["principal": "arn:aws:sts::111122223333:assumed-role/DataAnalystRole/alice",
                                                   "time_frame": "2026-11-23T00:00:00Z,2026-11-23T01:00:00Z"], message: nil, now: Date())
        #expect(derived.facts["time.session_start"]?.stringValue == "2026-11-22T12:00:00Z")
        #expect(derived.facts["time.session_end"]?.stringValue == "2026-11-23T01:00:00Z")
    }
}
