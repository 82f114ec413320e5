import Foundation
import WhyDeniedJSON

/// A CloudTrail record of a denied request, shaped like the real ones (eventVersion 1.09 fields,
/// `userIdentity` per principal kind, `errorCode`/`errorMessage`). Scenarios fill it in; the
/// result is serialised with `JSONValue`, so values are always escaped correctly.
///
/// ```swift
/// let event = DeniedEventTemplate(eventSource: "s3.amazonaws.com", eventName: "GetObject", …).json
/// ```
public struct DeniedEventTemplate: Sendable {
    public enum Identity: Sendable {
        case assumedRole(role: String, session: String)
        case user(name: String)
    }

    public var identity: Identity
    public var eventTime: String
    public var eventSource: String
    public var eventName: String
    public var sourceIPAddress: String
    public var errorCode: String
    public var errorMessage: String
    public var requestParameters: JSONValue
    public var resources: [(arn: String, type: String)]
    public var readOnly: Bool
    public var managementEvent: Bool
    /// The VPC endpoint the request came through (`vpcEndpointId`), when it did.
    public var vpcEndpointId: String?
    /// The account that owns the resources, when it is not the caller's (a cross-account request).
    public var resourceAccount: String?

    public init(identity: Identity, eventTime: String, eventSource: String, eventName: String,
                sourceIPAddress: String, errorCode: String = "AccessDenied", errorMessage: String,
                requestParameters: JSONValue, resources: [(arn: String, type: String)] = [],
                readOnly: Bool, managementEvent: Bool, vpcEndpointId: String? = nil, resourceAccount: String? = nil) {
        self.identity = identity
        self.eventTime = eventTime
        self.eventSource = eventSource
        self.eventName = eventName
        self.sourceIPAddress = sourceIPAddress
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.requestParameters = requestParameters
        self.resources = resources
        self.readOnly = readOnly
        self.managementEvent = managementEvent
        self.vpcEndpointId = vpcEndpointId
        self.resourceAccount = resourceAccount
    }

    public var principalARN: String {
        switch identity {
        case .assumedRole(let role, let session): "arn:aws:sts::\(MotoSandbox.accountID):assumed-role/\(role)/\(session)"
        case .user(let name): "arn:aws:iam::\(MotoSandbox.accountID):user/\(name)"
        }
    }

    public var json: String {
        let account = MotoSandbox.accountID
        let userIdentity: JSONValue
        switch identity {
        case .assumedRole(let role, _):
            userIdentity = Self.object([
                ("type", .string("AssumedRole")),
                ("principalId", .string("AROAEXAMPLEROLEID0001:session")),
                ("arn", .string(principalARN)),
                ("accountId", .string(account)),
                ("accessKeyId", .string("ASIAEXAMPLEKEYID0001")),
                ("sessionContext", Self.object([
                    ("sessionIssuer", Self.object([
                        ("type", .string("Role")),
                        ("principalId", .string("AROAEXAMPLEROLEID0001")),
                        ("arn", .string("arn:aws:iam::\(account):role/\(role)")),
                        ("accountId", .string(account)),
                        ("userName", .string(role)),
                    ])),
                    ("attributes", Self.object([
                        ("creationDate", .string(eventTime)),
                        ("mfaAuthenticated", .string("false")),
                    ])),
                ])),
            ])
        case .user(let name):
            userIdentity = Self.object([
                ("type", .string("IAMUser")),
                ("principalId", .string("AIDAEXAMPLEUSERID0001")),
                ("arn", .string(principalARN)),
                ("accountId", .string(account)),
                ("accessKeyId", .string("AKIAEXAMPLEKEYID0001")),
                ("userName", .string(name)),
            ])
        }
        var fields: [(key: String, value: JSONValue)] = [
            ("eventVersion", .string("1.09")),
            ("userIdentity", userIdentity),
            ("eventTime", .string(eventTime)),
            ("eventSource", .string(eventSource)),
            ("eventName", .string(eventName)),
            ("awsRegion", .string(MotoSandbox.region)),
            ("sourceIPAddress", .string(sourceIPAddress)),
            ("userAgent", .string("aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64")),
            ("errorCode", .string(errorCode)),
            ("errorMessage", .string(errorMessage)),
            ("requestParameters", requestParameters),
            ("responseElements", .null),
            ("requestID", .string(UUID().uuidString)),
            ("eventID", .string(UUID().uuidString.lowercased())),
            ("readOnly", .bool(readOnly)),
        ]
        if !resources.isEmpty {
            fields.append(("resources", .array(resources.map {
                Self.object([("accountId", .string(resourceAccount ?? account)), ("type", .string($0.type)), ("ARN", .string($0.arn))])
            })))
        }
        fields += [
            ("eventType", .string("AwsApiCall")),
            ("managementEvent", .bool(managementEvent)),
            ("recipientAccountId", .string(account)),
            ("eventCategory", .string(managementEvent ? "Management" : "Data")),
        ]
        if let vpcEndpointId { fields.append(("vpcEndpointId", .string(vpcEndpointId))) }
        return JSONValue.object(JSONObject(fields)).serialized()
    }

    static func object(_ entries: [(key: String, value: JSONValue)]) -> JSONValue {
        .object(JSONObject(entries))
    }
}
