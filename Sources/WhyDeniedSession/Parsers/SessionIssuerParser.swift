import WhyDeniedJSON

/// `cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=AssumeRole`
/// (or AssumeRoleWithSAML, AssumeRoleWithWebIdentity, GetFederationToken) → the call that issued
/// the caller's session, and the session policies it passed:
///
/// - `session_issuer_<event>` (`session_issuer_assume_role`, `_saml`, `_web_identity`,
///   `_federation_token`): `{event_id, event_name, event_time, matched_on, access_key_id?,
///   issued_by?, policy?, policy_arns}` (`issued_by`: the caller's `userIdentity.arn`); `policy` is the inline session policy (`requestParameters.policy`, a JSON
///   string in the event) decoded, `policy_arns` the managed session policies
///   (`requestParameters.policyArns[].arn`);
/// - `session_policy_arns_<event>`: the same ARNs, a list a `foreach` can read.
///
/// The issuing call is the one whose `responseElements.credentials.accessKeyId` is the access key
/// the denied call was signed with (`principal.access_key_id`); without that fact, the most
/// recent successful call whose `roleSessionName` (GetFederationToken: `name`) is the session's
/// name (a federated user's: `principal.name`) and whose `roleArn`, when recorded, is the principal's role. No match: nothing captured.
/// A session policy that is not a JSON policy document is a parse error, so the read counts as
/// failed, never as "no session policy".
///
/// ```swift
/// // Events[0].CloudTrailEvent = "{\"eventName\":\"AssumeRole\",\"requestParameters\":{\"roleArn\":…,\"policy\":\"{…}\"},
/// //                               \"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIA…\"}}}"
/// //   →  session_issuer_assume_role = {"event_name": "AssumeRole", "matched_on": "access key id", "policy": {…}, "policy_arns": []}
/// ```
enum SessionIssuerParser {
    static let name = "session_issuer"

    /// The STS calls that issue a session a session policy can be passed to, and the suffix of
    /// the captures their look-up fills (`session_issuer_assume_role`,
    /// `session_policy_arns_assume_role`): one look-up per event name, each with its own captures.
    static let issuingEvents: [String: String] = ["AssumeRole": "assume_role", "AssumeRoleWithSAML": "saml",
                                                  "AssumeRoleWithWebIdentity": "web_identity", "GetFederationToken": "federation_token"]
    static let issuerCaptures = issuingEvents.values.sorted().map { "session_issuer_\($0)" }
    static let policyArnsCaptures = issuingEvents.values.sorted().map { "session_policy_arns_\($0)" }

    static func parse(_ input: ParserInput) throws(OutputParsers.ParseError) -> OutputParsers.Parsed {
        guard let listed = input.output["Events"]?.arrayValue else {
            throw OutputParsers.ParseError(parser: name, reason: "the output has no Events list")
        }
        let accessKey = input.facts["principal.access_key_id"]?.stringValue
        // A federated user is named by the `name` its GetFederationToken call gave.
        let sessionName = input.facts["principal.session_name"]?.stringValue
            ?? (input.facts["principal.kind"]?.stringValue == "federated_user" ? input.facts["principal.name"]?.stringValue : nil)
        let roleArn = input.facts["principal.arn"]?.stringValue
        var bySessionName: (record: JSONValue, time: String)?
        for entry in listed {
            guard let text = entry["CloudTrailEvent"]?.stringValue, let record = try? JSONValue.parse(text),
                  let eventName = record["eventName"]?.stringValue, issuingEvents[eventName] != nil,
                  record["errorCode"]?.stringValue == nil else { continue }
            let issued = record["responseElements"]?["credentials"]?["accessKeyId"]?.stringValue
            if let accessKey, issued == accessKey {
                return try parsed(record, matchedOn: "access key id \(accessKey)")
            }
            let parameters = record["requestParameters"]
            let named = parameters?["roleSessionName"]?.stringValue ?? parameters?["name"]?.stringValue
            let sameRole = parameters?["roleArn"]?.stringValue.map { $0 == roleArn } ?? true
            if let sessionName, named == sessionName, sameRole {
                let time = record["eventTime"]?.stringValue ?? ""
                if bySessionName == nil || time > bySessionName!.time { bySessionName = (record, time) }
            }
        }
        // An access key names one session; a session name is reused, so the newest is taken.
        if accessKey == nil, let found = bySessionName {
            let named = found.record["eventName"]?.stringValue == "GetFederationToken" ? "federated user name" : "role session name"
            return try parsed(found.record, matchedOn: "\(named) \(sessionName ?? "")")
        }
        return OutputParsers.Parsed()
    }

    private static func parsed(_ record: JSONValue, matchedOn: String) throws(OutputParsers.ParseError) -> OutputParsers.Parsed {
        let parameters = record["requestParameters"]
        var fields: [(key: String, value: JSONValue)] = [
            ("event_id", record["eventID"] ?? .null), ("event_name", record["eventName"] ?? .null),
            ("event_time", record["eventTime"] ?? .null), ("matched_on", .string(matchedOn)),
        ]
        if let key = record["responseElements"]?["credentials"]?["accessKeyId"] { fields.append(("access_key_id", key)) }
        // Who made the call: for GetFederationToken, the IAM user whose policies also bound the federated user.
        if let caller = record["userIdentity"]?["arn"] { fields.append(("issued_by", caller)) }
        if let policy = parameters?["policy"], policy != .null {
            fields.append(("policy", try PolicyText.document(policy, parser: name, field: "requestParameters.policy")))
        }
        // The API's PolicyArns is a list of {arn}; accept bare strings too.
        let arns = (parameters?["policyArns"]?.arrayValue ?? []).compactMap { $0["arn"]?.stringValue ?? $0.stringValue }
        fields.append(("policy_arns", .array(arns.map(JSONValue.string))))
        let suffix = issuingEvents[record["eventName"]?.stringValue ?? ""] ?? ""
        return OutputParsers.Parsed(named: ["session_issuer_\(suffix)": .object(JSONObject(fields)),
                                            "session_policy_arns_\(suffix)": .array(arns.map(JSONValue.string))])
    }
}
