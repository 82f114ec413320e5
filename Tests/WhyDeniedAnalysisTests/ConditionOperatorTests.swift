import Testing
@testable import WhyDeniedAnalysis

/// Evaluates one condition clause against a context.
private func check(_ op: String, _ key: String, _ values: [String], _ context: RequestContext,
                   variables: Bool = true) throws -> Truth {
    let clause = ConditionClause(operator: try ConditionOperator(parsing: op), key: key, values: values)
    return ConditionEvaluator(variables: PolicyVariableResolver(context: context, enabled: variables)).evaluate(clause).0
}

private func context(_ pairs: [(String, ContextValue)], absent: [String] = []) -> RequestContext {
    var result = RequestContext()
    for (key, value) in pairs { result[key] = value }
    for key in absent { result.markAbsent(key) }
    return result
}

// IAM User Guide, "IAM JSON policy elements: Condition operators"
// (reference_policies_elements_condition_operators.html), one test per operator family.
@Suite struct ConditionOperatorTests {
    @Test func stringOperators() throws {
        let ctx = context([("aws:PrincipalTag/job-category", ContextValue(.string, "iamuser-admin"))])
        #expect(try check("StringEquals", "aws:PrincipalTag/job-category", ["iamuser-admin"], ctx) == .yes)
        #expect(try check("StringEquals", "aws:PrincipalTag/job-category", ["IAMUser-Admin"], ctx) == .no)
        #expect(try check("StringNotEquals", "aws:PrincipalTag/job-category", ["x", "y"], ctx) == .yes)
        #expect(try check("StringNotEquals", "aws:PrincipalTag/job-category", ["x", "iamuser-admin"], ctx) == .no)
        #expect(try check("StringEqualsIgnoreCase", "aws:PrincipalTag/job-category", ["IAMUser-Admin"], ctx) == .yes)
        #expect(try check("StringNotEqualsIgnoreCase", "aws:PrincipalTag/job-category", ["IAMUSER-ADMIN"], ctx) == .no)
        #expect(try check("StringLike", "aws:PrincipalTag/job-category", ["iamuser-*"], ctx) == .yes)
        #expect(try check("StringLike", "aws:PrincipalTag/job-category", ["iamuser-?dmin"], ctx) == .yes)
        #expect(try check("StringLike", "aws:PrincipalTag/job-category", ["IAMUSER-*"], ctx) == .no)
        #expect(try check("StringNotLike", "aws:PrincipalTag/job-category", ["home/*"], ctx) == .yes)
    }

    @Test func conditionKeyNamesAreCaseInsensitive() throws {
        let ctx = context([("aws:SourceIp", ContextValue(.ip, "203.0.113.5"))])
        #expect(try check("IpAddress", "AWS:SOURCEIP", ["203.0.113.0/24"], ctx) == .yes)
    }

    @Test func numericOperators() throws {
        let ctx = context([("s3:max-keys", ContextValue(.number, "10"))])
        #expect(try check("NumericEquals", "s3:max-keys", ["10.0"], ctx) == .yes)
        #expect(try check("NumericNotEquals", "s3:max-keys", ["10"], ctx) == .no)
        #expect(try check("NumericLessThan", "s3:max-keys", ["11"], ctx) == .yes)
        #expect(try check("NumericLessThan", "s3:max-keys", ["10"], ctx) == .no)
        #expect(try check("NumericLessThanEquals", "s3:max-keys", ["10"], ctx) == .yes)
        #expect(try check("NumericGreaterThan", "s3:max-keys", ["9"], ctx) == .yes)
        #expect(try check("NumericGreaterThanEquals", "s3:max-keys", ["11"], ctx) == .no)
        #expect(try check("NumericEquals", "s3:max-keys", ["ten"], ctx) == .no)
    }

    @Test func dateOperatorsAcceptISOAndEpochSeconds() throws {
        let ctx = context([("aws:CurrentTime", ContextValue(.date, "2026-11-23T11:20:00Z")),
                           ("aws:EpochTime", ContextValue(.date, "1795432800"))])
        #expect(try check("DateGreaterThan", "aws:CurrentTime", ["2020-04-01T00:00:00Z"], ctx) == .yes)
        #expect(try check("DateLessThan", "aws:CurrentTime", ["2026-11-23"], ctx) == .no)
        #expect(try check("DateLessThanEquals", "aws:CurrentTime", ["2026-11-23T12:20:00+01:00"], ctx) == .yes)
        #expect(try check("DateEquals", "aws:CurrentTime", ["2026-11-23T11:20:00.000Z"], ctx) == .yes)
        #expect(try check("DateNotEquals", "aws:CurrentTime", ["2026-11-23T11:20:00Z"], ctx) == .no)
        #expect(try check("DateGreaterThanEquals", "aws:CurrentTime", ["1795432800"], ctx) == .yes)
        // Epoch values are seconds (edge case 14: not milliseconds).
        #expect(PolicyDate.epochSeconds("2026-11-23T11:20:00Z") == 1_795_432_800)
        #expect(try check("DateEquals", "aws:EpochTime", ["2026-11-23T11:20:00Z"], ctx) == .yes)
    }

    @Test func boolAndBinary() throws {
        let ctx = context([("aws:SecureTransport", ContextValue(.bool, "false")),
                           ("kms:RecipientAttestation:ImageSha384", ContextValue(.binary, "QmluYXJ5VmFsdWU="))])
        #expect(try check("Bool", "aws:SecureTransport", ["false"], ctx) == .yes)
        #expect(try check("Bool", "aws:SecureTransport", ["true"], ctx) == .no)
        #expect(try check("BinaryEquals", "kms:RecipientAttestation:ImageSha384", ["QmluYXJ5VmFsdWU="], ctx) == .yes)
        #expect(try check("BinaryEquals", "kms:RecipientAttestation:ImageSha384", ["T3RoZXI="], ctx) == .no)
    }

    @Test func ipOperatorsIncludingIPv6() throws {
        let v4 = context([("aws:SourceIp", ContextValue(.ip, "203.0.113.77"))])
        #expect(try check("IpAddress", "aws:SourceIp", ["203.0.113.0/24"], v4) == .yes)
        #expect(try check("IpAddress", "aws:SourceIp", ["203.0.112.0/24", "198.51.100.0/24"], v4) == .no)
        #expect(try check("NotIpAddress", "aws:SourceIp", ["203.0.113.0/24"], v4) == .no)
        #expect(try check("IpAddress", "aws:SourceIp", ["2001:DB8:1234:5678::/64"], v4) == .no)
        let v6 = context([("aws:SourceIp", ContextValue(.ip, "2001:db8:1234:5678::abcd"))])
        #expect(try check("IpAddress", "aws:SourceIp", ["2001:DB8:1234:5678::/64"], v6) == .yes)
        #expect(try check("NotIpAddress", "aws:SourceIp", ["2001:db8:1234:5679::/64"], v6) == .yes)
        #expect(IPAddressRange("::ffff:192.0.2.1")?.bytes.suffix(4) == [192, 0, 2, 1])
        #expect(IPAddressRange("1.2.3.256") == nil)
        #expect(IPAddressRange("1::2::3") == nil)
    }

    @Test func arnOperatorsMatchPerSegment() throws {
        let ctx = context([("aws:SourceArn", ContextValue(.arn, "arn:aws:sns:us-east-1:123456789012:my-topic"))])
        #expect(try check("ArnEquals", "aws:SourceArn", ["arn:aws:sns:us-east-1:123456789012:my-topic"], ctx) == .yes)
        #expect(try check("ArnLike", "aws:SourceArn", ["arn:aws:sns:*:123456789012:*"], ctx) == .yes)
        #expect(try check("ArnLike", "aws:SourceArn", ["arn:aws:sns:*:123456789012:MY-*"], ctx) == .no)
        #expect(try check("ArnNotEquals", "aws:SourceArn", ["arn:aws:sns:us-east-1:123456789012:other"], ctx) == .yes)
        #expect(try check("ArnNotLike", "aws:SourceArn", ["arn:aws:sns:*:*:*"], ctx) == .no)
        // A `*` does not span the colons of the first five segments.
        #expect(try check("ArnLike", "aws:SourceArn", ["arn:aws:*:123456789012:my-topic"], ctx) == .no)
    }

    @Test func nullTestsPresence() throws {
        let ctx = context([("aws:TokenIssueTime", ContextValue(.date, "2026-11-23T10:00:00Z"))], absent: ["aws:MultiFactorAuthAge"])
        #expect(try check("Null", "aws:TokenIssueTime", ["true"], ctx) == .yes.negated)
        #expect(try check("Null", "aws:TokenIssueTime", ["false"], ctx) == .yes)
        #expect(try check("Null", "aws:MultiFactorAuthAge", ["true"], ctx) == .yes)
        #expect(try check("Null", "aws:Unknown", ["true"], ctx) == .unknown(["aws:Unknown"]))
    }

    // "Condition operator to check existence of condition keys" and …IfExists.
    @Test func missingKeySemantics() throws {
        let ctx = context([], absent: ["aws:PrincipalOrgID", "aws:TagKeys"])
        #expect(try check("StringEquals", "aws:PrincipalOrgID", ["o-1"], ctx) == .no)
        #expect(try check("StringNotEquals", "aws:PrincipalOrgID", ["o-1"], ctx) == .yes)
        #expect(try check("StringEqualsIfExists", "aws:PrincipalOrgID", ["o-1"], ctx) == .yes)
        #expect(try check("ForAllValues:StringEquals", "aws:TagKeys", ["a"], ctx) == .yes)
        #expect(try check("ForAnyValue:StringEquals", "aws:TagKeys", ["a"], ctx) == .no)
        #expect(try check("ForAnyValue:StringNotEquals", "aws:TagKeys", ["a"], ctx) == .no)
        // Unknown keys stay unknown, even under IfExists.
        #expect(try check("StringEqualsIfExists", "aws:SourceVpc", ["vpc-1"], RequestContext()) == .unknown(["aws:SourceVpc"]))
        #expect(try check("StringEqualsIfExists", "aws:SourceVpc", ["vpc-1"], RequestContext(isComplete: true)) == .yes)
    }

    // "Set operators for multivalued context keys"
    // (reference_policies_condition-single-vs-multi-valued-context-keys.html).
    @Test func setQualifiers() throws {
        let tags = context([("aws:TagKeys", ContextValue(.string, ["environment", "cost-center"]))])
        #expect(try check("ForAllValues:StringEquals", "aws:TagKeys", ["environment", "cost-center", "owner"], tags) == .yes)
        #expect(try check("ForAllValues:StringEquals", "aws:TagKeys", ["environment"], tags) == .no)
        #expect(try check("ForAnyValue:StringEquals", "aws:TagKeys", ["environment"], tags) == .yes)
        #expect(try check("ForAnyValue:StringLike", "aws:TagKeys", ["cost-*"], tags) == .yes)
        #expect(try check("ForAllValues:StringNotEquals", "aws:TagKeys", ["owner"], tags) == .yes)
        #expect(try check("ForAllValues:StringNotEquals", "aws:TagKeys", ["environment"], tags) == .no)
        #expect(try check("ForAnyValue:StringNotEquals", "aws:TagKeys", ["environment"], tags) == .yes)
        let empty = context([("aws:TagKeys", ContextValue(.string, [], multiValued: true))])
        #expect(try check("ForAllValues:StringEquals", "aws:TagKeys", ["x"], empty) == .yes)
        #expect(try check("ForAnyValue:StringEquals", "aws:TagKeys", ["x"], empty) == .no)
    }

    @Test func operatorParsing() throws {
        let op = try ConditionOperator(parsing: "ForAnyValue:StringLikeIfExists")
        #expect(op.qualifier == .forAnyValue)
        #expect(op.base == .stringLike)
        #expect(op.ifExists)
        #expect(throws: ConditionOperator.UnknownOperator(text: "NullIfExists")) { try ConditionOperator(parsing: "NullIfExists") }
        #expect(BaseConditionOperator.allCases.count == 27)
        for base in BaseConditionOperator.allCases {
            #expect(try ConditionOperator(parsing: base.rawValue).base == base)
        }
    }

    // "IAM policy elements: Variables and tags" (reference_policies_variables.html).
    @Test func policyVariablesInConditionValues() throws {
        let ctx = context([("aws:username", ContextValue(.string, "ana")),
                           ("s3:prefix", ContextValue(.string, "home/ana/")),
                           ("aws:TagKeys", ContextValue(.string, ["a", "b"]))],
                          absent: ["aws:PrincipalTag/team"])
        #expect(try check("StringLike", "s3:prefix", ["home/${aws:username}/*"], ctx) == .yes)
        #expect(try check("StringLike", "s3:prefix", ["home/${aws:username}/*"], ctx, variables: false) == .no)
        #expect(try check("StringEquals", "s3:prefix", ["${aws:PrincipalTag/team, 'home'}/ana/"], ctx) == .yes)
        // Absent without default, or multi-valued: no substitution, so no match.
        #expect(try check("StringLike", "s3:prefix", ["${aws:PrincipalTag/team}*"], ctx) == .no)
        #expect(try check("StringLike", "s3:prefix", ["${aws:TagKeys}*"], ctx) == .no)
        // Escapes are literal characters, never wildcards.
        let star = context([("s3:prefix", ContextValue(.string, "a*b"))])
        #expect(try check("StringLike", "s3:prefix", ["a${*}b"], star) == .yes)
        #expect(try check("StringLike", "s3:prefix", ["a${*}b"], context([("s3:prefix", ContextValue(.string, "axxb"))])) == .no)
        #expect(try check("StringEquals", "s3:prefix", ["${$}x${?}"], context([("s3:prefix", ContextValue(.string, "$x?"))])) == .yes)
        // A variable the evidence does not carry makes the value unknown.
        #expect(try check("StringEquals", "s3:prefix", ["${aws:PrincipalTag/dept}"], star) == .unknown(["aws:PrincipalTag/dept"]))
    }
}

/// One row: an Allow statement with one condition, the request's value for the key, and whether
/// the request is allowed by that statement.
struct OperatorCase: Sendable, CustomTestStringConvertible {
    var op: String
    var key: String
    var policyValues: [String]
    var requestValue: ContextValue?
    var allowed: Bool
    var testDescription: String { "\(op) \(key) \(policyValues) vs \(requestValue?.values ?? ["<absent>"])" }
}

// Every operator through the whole evaluator: decision and deciding statement. Operator semantics
// and examples from "IAM JSON policy elements: Condition operators"
// (reference_policies_elements_condition_operators.html).
@Suite struct ConditionOperatorDecisionTests {
    static let cases: [OperatorCase] = [
        .init(op: "StringEquals", key: "aws:PrincipalTag/team", policyValues: ["red"], requestValue: ContextValue(.string, "red"), allowed: true),
        .init(op: "StringNotEquals", key: "aws:PrincipalTag/team", policyValues: ["red"], requestValue: ContextValue(.string, "red"), allowed: false),
        .init(op: "StringEqualsIgnoreCase", key: "aws:PrincipalTag/team", policyValues: ["RED"], requestValue: ContextValue(.string, "red"), allowed: true),
        .init(op: "StringNotEqualsIgnoreCase", key: "aws:PrincipalTag/team", policyValues: ["RED"], requestValue: ContextValue(.string, "blue"), allowed: true),
        .init(op: "StringLike", key: "s3:prefix", policyValues: ["home/*"], requestValue: ContextValue(.string, "home/ana/"), allowed: true),
        .init(op: "StringNotLike", key: "s3:prefix", policyValues: ["home/*"], requestValue: ContextValue(.string, "home/ana/"), allowed: false),
        .init(op: "NumericEquals", key: "s3:max-keys", policyValues: ["10"], requestValue: ContextValue(.number, "10"), allowed: true),
        .init(op: "NumericNotEquals", key: "s3:max-keys", policyValues: ["10"], requestValue: ContextValue(.number, "11"), allowed: true),
        .init(op: "NumericLessThan", key: "s3:max-keys", policyValues: ["10"], requestValue: ContextValue(.number, "10"), allowed: false),
        .init(op: "NumericLessThanEquals", key: "s3:max-keys", policyValues: ["10"], requestValue: ContextValue(.number, "10"), allowed: true),
        .init(op: "NumericGreaterThan", key: "s3:max-keys", policyValues: ["10"], requestValue: ContextValue(.number, "10.5"), allowed: true),
        .init(op: "NumericGreaterThanEquals", key: "s3:max-keys", policyValues: ["10"], requestValue: ContextValue(.number, "9"), allowed: false),
        .init(op: "DateEquals", key: "aws:CurrentTime", policyValues: ["2026-11-23T00:00:00Z"], requestValue: ContextValue(.date, "2026-11-23"), allowed: true),
        .init(op: "DateNotEquals", key: "aws:CurrentTime", policyValues: ["2026-11-23T00:00:00Z"], requestValue: ContextValue(.date, "2026-11-24"), allowed: true),
        .init(op: "DateLessThan", key: "aws:CurrentTime", policyValues: ["2026-12-31T23:59:59Z"], requestValue: ContextValue(.date, "2026-11-23T11:20:00Z"), allowed: true),
        .init(op: "DateLessThanEquals", key: "aws:CurrentTime", policyValues: ["2026-01-01T00:00:00Z"], requestValue: ContextValue(.date, "2026-11-23T11:20:00Z"), allowed: false),
        .init(op: "DateGreaterThan", key: "aws:EpochTime", policyValues: ["1767225600"], requestValue: ContextValue(.date, "1795432800"), allowed: true),
        .init(op: "DateGreaterThanEquals", key: "aws:EpochTime", policyValues: ["2027-01-01T00:00:00Z"], requestValue: ContextValue(.date, "1795432800"), allowed: false),
        .init(op: "Bool", key: "aws:SecureTransport", policyValues: ["true"], requestValue: ContextValue(.bool, "true"), allowed: true),
        .init(op: "BinaryEquals", key: "kms:RecipientAttestation:ImageSha384", policyValues: ["QmluYXJ5VmFsdWU="], requestValue: ContextValue(.binary, "QmluYXJ5VmFsdWU="), allowed: true),
        .init(op: "IpAddress", key: "aws:SourceIp", policyValues: ["203.0.113.0/24"], requestValue: ContextValue(.ip, "203.0.113.9"), allowed: true),
        .init(op: "NotIpAddress", key: "aws:SourceIp", policyValues: ["203.0.113.0/24"], requestValue: ContextValue(.ip, "203.0.113.9"), allowed: false),
        .init(op: "IpAddress", key: "aws:SourceIp", policyValues: ["2001:db8::/32"], requestValue: ContextValue(.ip, "2001:db8:ffff::1"), allowed: true),
        .init(op: "ArnEquals", key: "aws:SourceArn", policyValues: ["arn:aws:sns:us-east-1:111122223333:t"], requestValue: ContextValue(.arn, "arn:aws:sns:us-east-1:111122223333:t"), allowed: true),
        .init(op: "ArnLike", key: "aws:SourceArn", policyValues: ["arn:aws:sns:*:111122223333:*"], requestValue: ContextValue(.arn, "arn:aws:sns:us-east-1:111122223333:t"), allowed: true),
        .init(op: "ArnNotEquals", key: "aws:SourceArn", policyValues: ["arn:aws:sns:us-east-1:111122223333:t"], requestValue: ContextValue(.arn, "arn:aws:sns:us-east-1:111122223333:t"), allowed: false),
        .init(op: "ArnNotLike", key: "aws:SourceArn", policyValues: ["arn:aws:sqs:*"], requestValue: ContextValue(.arn, "arn:aws:sns:us-east-1:111122223333:t"), allowed: true),
        .init(op: "Null", key: "aws:TokenIssueTime", policyValues: ["true"], requestValue: nil, allowed: true),
        .init(op: "Null", key: "aws:TokenIssueTime", policyValues: ["false"], requestValue: nil, allowed: false),
        .init(op: "StringEqualsIfExists", key: "ec2:InstanceType", policyValues: ["t3.micro"], requestValue: nil, allowed: true),
        .init(op: "StringEqualsIfExists", key: "ec2:InstanceType", policyValues: ["t3.micro"], requestValue: ContextValue(.string, "m5.large"), allowed: false),
        .init(op: "ForAllValues:StringEquals", key: "aws:TagKeys", policyValues: ["env", "owner"], requestValue: ContextValue(.string, ["env"]), allowed: true),
        .init(op: "ForAnyValue:StringEquals", key: "aws:TagKeys", policyValues: ["owner"], requestValue: ContextValue(.string, ["env", "cost"]), allowed: false),
    ]

    @Test(arguments: cases)
    func operatorDecidesTheAllow(row: OperatorCase) throws {
        let values = row.policyValues.map { "\"\($0)\"" }.joined(separator: ",")
        let set = try identityOnly(#"{"Sid":"Conditional","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"\#(row.op)":{"\#(row.key)":[\#(values)]}}}"#)
        let request = makeRequest(context: row.requestValue.map { [row.key: $0] } ?? [:], absent: row.requestValue == nil ? [row.key] : [])
        let result = evaluate(request, set)
        if row.allowed {
            #expect(result.decision == .allowed)
            #expect(result.deciding.statement?.statement.sid == "Conditional")
            #expect(result.deciding.statement?.conditions.first?.outcome == .matched)
        } else {
            #expect(result.decision == .implicitDeny)
            #expect(result.deciding.policyType == .identityBased)
            #expect(result.statements.first?.conditions.first?.outcome == .notMatched)
        }
    }
}
