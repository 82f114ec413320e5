import Foundation
import WhyDeniedJSON

/// The document `whydenied evaluate FILE` reads: one request and the policies that apply to it,
/// by type. The format is described in docs/evaluate-format.md.
///
/// ```swift
/// let input = try EvaluationInput.parse(text)
/// let result = PolicyEvaluator().evaluate(input.request, against: input.policies)
/// ```
public struct EvaluationInput: Sendable, Hashable {
    public var request: AuthorizationRequest
    public var policies: PolicySet

    public init(request: AuthorizationRequest, policies: PolicySet) {
        self.request = request
        self.policies = policies
    }

    public static func parse(_ text: String) throws(EvaluationInputError) -> EvaluationInput {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw EvaluationInputError(path: "(file)", message: "not JSON: \(error.description)")
        }
        return try parse(json: value)
    }

    public static func parse(json: JSONValue) throws(EvaluationInputError) -> EvaluationInput {
        let root = try InputReader.object(json, "(file)")
        try InputReader.allowOnly(root, ["request", "policies"], at: "")
        guard let requestValue = root["request"] else { throw EvaluationInputError(path: "request", message: "missing") }
        let request = try InputReader.request(requestValue)
        let policies = try root["policies"].map { value throws(EvaluationInputError) in try InputReader.policySet(value) } ?? PolicySet()
        return EvaluationInput(request: request, policies: policies)
    }
}

/// What is wrong in an evaluation input, and where (a JSON path such as
/// `policies.identity[0].document.Statement[1].Effect`).
public struct EvaluationInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}

/// Reads the parts of an evaluation input, naming the path of every problem.
private enum InputReader {
    static func object(_ value: JSONValue, _ path: String) throws(EvaluationInputError) -> JSONObject {
        guard case .object(let object) = value else {
            throw EvaluationInputError(path: path, message: "must be an object, found \(value.kindName)")
        }
        return object
    }

    static func string(_ value: JSONValue, _ path: String) throws(EvaluationInputError) -> String {
        guard let text = value.stringValue else {
            throw EvaluationInputError(path: path, message: "must be a string, found \(value.kindName)")
        }
        return text
    }

    static func optionalString(_ object: JSONObject, _ key: String, _ path: String) throws(EvaluationInputError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        return try string(value, join(path, key))
    }

    static func array(_ value: JSONValue, _ path: String) throws(EvaluationInputError) -> [JSONValue] {
        guard let items = value.arrayValue else {
            throw EvaluationInputError(path: path, message: "must be a list, found \(value.kindName)")
        }
        return items
    }

    static func allowOnly(_ object: JSONObject, _ keys: Set<String>, at path: String) throws(EvaluationInputError) {
        for key in object.keys where !keys.contains(key) {
            throw EvaluationInputError(path: join(path, key),
                                       message: "unknown field (expected one of: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    // MARK: request

    static func request(_ value: JSONValue) throws(EvaluationInputError) -> AuthorizationRequest {
        let object = try object(value, "request")
        try allowOnly(object, ["principal", "action", "resource", "context", "absentKeys", "contextComplete"], at: "request")
        guard let principalValue = object["principal"] else { throw EvaluationInputError(path: "request.principal", message: "missing") }
        let principal = try principal(principalValue)
        guard let actionValue = object["action"] else { throw EvaluationInputError(path: "request.action", message: "missing") }
        let action = try string(actionValue, "request.action")
        guard action.contains(":") || action == "*" else {
            throw EvaluationInputError(path: "request.action", message: "must look like service:Action, found \"\(action)\"")
        }
        var resource: RequestResource?
        switch object["resource"] {
        case .none, .some(.null):
            resource = nil
        case .some(.string(let arn)):
            resource = arn == "*" ? nil : RequestResource(arn: arn)
        case .some(.object(let resourceObject)):
            try allowOnly(resourceObject, ["arn", "account"], at: "request.resource")
            guard let arnValue = resourceObject["arn"] else { throw EvaluationInputError(path: "request.resource.arn", message: "missing") }
            let arn = try string(arnValue, "request.resource.arn")
            resource = arn == "*" ? nil : RequestResource(arn: arn, account: try optionalString(resourceObject, "account", "request.resource"))
        case .some(let other):
            throw EvaluationInputError(path: "request.resource", message: "must be an ARN string or {\"arn\": …, \"account\": …}, found \(other.kindName)")
        }
        var complete = false
        if let flag = object["contextComplete"] {
            guard let value = flag.boolValue else {
                throw EvaluationInputError(path: "request.contextComplete", message: "must be true or false, found \(flag.kindName)")
            }
            complete = value
        }
        var context = RequestContext(isComplete: complete)
        if let contextValue = object["context"] {
            for (key, raw) in try InputReader.object(contextValue, "request.context").entries {
                context[key] = try contextEntry(raw, "request.context.\(key)")
            }
        }
        if let absent = object["absentKeys"] {
            for (index, item) in try array(absent, "request.absentKeys").enumerated() {
                let key = try string(item, "request.absentKeys[\(index)]")
                if context[key] != nil {
                    throw EvaluationInputError(path: "request.absentKeys[\(index)]", message: "\(key) is also given in request.context")
                }
                context.markAbsent(key)
            }
        }
        return AuthorizationRequest(principal: principal, action: action, resource: resource, context: context)
    }

    static func principal(_ value: JSONValue) throws(EvaluationInputError) -> RequestPrincipal {
        if let arn = value.stringValue { return RequestPrincipal(arn: arn) }
        let object = try object(value, "request.principal")
        try allowOnly(object, ["arn", "kind", "account", "roleArn", "federatedProvider", "canonicalUserId"], at: "request.principal")
        guard let arnValue = object["arn"] else { throw EvaluationInputError(path: "request.principal.arn", message: "missing") }
        let arn = try string(arnValue, "request.principal.arn")
        var kind: PrincipalKind?
        if let kindText = try optionalString(object, "kind", "request.principal") {
            guard let parsed = PrincipalKind(rawValue: kindText) else {
                throw EvaluationInputError(path: "request.principal.kind",
                    message: "must be one of \(PrincipalKind.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(kindText)\"")
            }
            kind = parsed
        }
        return RequestPrincipal(arn: arn, kind: kind,
                                account: try optionalString(object, "account", "request.principal"),
                                roleArn: try optionalString(object, "roleArn", "request.principal"),
                                federatedProvider: try optionalString(object, "federatedProvider", "request.principal"),
                                canonicalUserId: try optionalString(object, "canonicalUserId", "request.principal"))
    }

    /// `"198.51.100.7"`, `true`, `10`, `["a","b"]`, or `{"type": "IP", "value": …}` /
    /// `{"type": "String", "values": […]}`.
    static func contextEntry(_ value: JSONValue, _ path: String) throws(EvaluationInputError) -> ContextValue {
        switch value {
        case .string(let text): return ContextValue(.string, text)
        case .bool(let flag): return ContextValue(.bool, flag ? "true" : "false")
        case .number: return ContextValue(.number, value.scalarText ?? "")
        case .array(let items):
            return ContextValue(.string, try scalars(items, path), multiValued: true)
        case .object(let object):
            try allowOnly(object, ["type", "value", "values"], at: path)
            guard let typeValue = object["type"] else { throw EvaluationInputError(path: "\(path).type", message: "missing") }
            let typeText = try string(typeValue, "\(path).type")
            guard let type = ContextValueType(loosely: typeText) else {
                throw EvaluationInputError(path: "\(path).type",
                    message: "must be one of \(ContextValueType.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(typeText)\"")
            }
            switch (object["value"], object["values"]) {
            case (.some(let single), .none):
                guard let text = single.scalarText else {
                    throw EvaluationInputError(path: "\(path).value", message: "must be a string, number or boolean, found \(single.kindName)")
                }
                return ContextValue(type, text)
            case (.none, .some(let many)):
                return ContextValue(type, try scalars(try array(many, "\(path).values"), "\(path).values"), multiValued: true)
            default:
                throw EvaluationInputError(path: path, message: "needs exactly one of \"value\" or \"values\"")
            }
        case .null:
            throw EvaluationInputError(path: path, message: "must not be null; list the key in request.absentKeys instead")
        }
    }

    static func scalars(_ items: [JSONValue], _ path: String) throws(EvaluationInputError) -> [String] {
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.scalarText else {
                throw EvaluationInputError(path: "\(path)[\(index)]", message: "must be a string, number or boolean, found \(item.kindName)")
            }
            result.append(text)
        }
        return result
    }

    // MARK: policies

    static let policyFields: Set<String> = [
        "identity", "groups", "permissionsBoundary", "sessionPolicies", "serviceControlPolicies", "resourceControlPolicies",
        "resourcePolicy", "vpcEndpointPolicy", "roleTrustPolicy", "keyPolicy", "managementAccount",
    ]

    static func policySet(_ value: JSONValue) throws(EvaluationInputError) -> PolicySet {
        let object = try object(value, "policies")
        try allowOnly(object, policyFields, at: "policies")
        var set = PolicySet()
        if let identity = object["identity"] {
            for (index, item) in try array(identity, "policies.identity").enumerated() {
                let path = "policies.identity[\(index)]"
                if let unread = try unread(item, path, .identityBased) { set.unreadPolicies.append(unread); continue }
                set.identityPolicies.append(try policy(item, path, allowAttachment: true))
            }
        }
        if let groups = object["groups"] {
            for (index, item) in try array(groups, "policies.groups").enumerated() {
                let path = "policies.groups[\(index)]"
                let group = try InputReader.object(item, path)
                try allowOnly(group, ["group", "policies"], at: path)
                guard let nameValue = group["group"] else { throw EvaluationInputError(path: "\(path).group", message: "missing") }
                let groupName = try string(nameValue, "\(path).group")
                for (policyIndex, policyValue) in try array(group["policies"] ?? .array([]), "\(path).policies").enumerated() {
                    var attachedPolicy = try policy(policyValue, "\(path).policies[\(policyIndex)]", allowManagedFlag: true)
                    let managed = attachedPolicy.attachment?.isManaged ?? false
                    attachedPolicy.attachment = PolicyAttachment(holder: .group, holderName: groupName, isManaged: managed)
                    set.identityPolicies.append(attachedPolicy)
                }
            }
        }
        if let boundary = object["permissionsBoundary"], !boundary.isNull {
            if let unread = try unread(boundary, "policies.permissionsBoundary", .permissionsBoundary) {
                set.unreadPolicies.append(unread)
            } else {
                set.permissionsBoundary = try policy(boundary, "policies.permissionsBoundary")
            }
        }
        if let session = object["sessionPolicies"] {
            for (index, item) in try array(session, "policies.sessionPolicies").enumerated() {
                let path = "policies.sessionPolicies[\(index)]"
                if let unread = try unread(item, path, .sessionPolicy) { set.unreadPolicies.append(unread); continue }
                set.sessionPolicies.append(try policy(item, path))
            }
        }
        set.serviceControlPolicies = try levels(object["serviceControlPolicies"], "policies.serviceControlPolicies")
        set.resourceControlPolicies = try levels(object["resourceControlPolicies"], "policies.resourceControlPolicies")
        for (field, type) in [("resourcePolicy", PolicyType.resourceBased), ("roleTrustPolicy", .roleTrustPolicy), ("keyPolicy", .kmsKeyPolicy)] {
            if let value = object[field], !value.isNull {
                try resourceSide(value, "policies.\(field)", type, into: &set)
            }
        }
        if let endpoint = object["vpcEndpointPolicy"], !endpoint.isNull {
            let path = "policies.vpcEndpointPolicy"
            if let unread = try unread(endpoint, path, .vpcEndpointPolicy) {
                set.unreadPolicies.append(unread)
            } else {
                let policy = try policy(endpoint, path)
                // AWS PrivateLink guide, "Control access to VPC endpoints using endpoint policies": an
                // endpoint policy "must contain a Principal element"; AWS rejects one without.
                if let statement = policy.document.statementWithoutPrincipal {
                    throw EvaluationInputError(path: "\(path).document.\(statement.path).Principal",
                        message: "missing: a VPC endpoint policy statement must name a Principal (\"*\" for every caller); AWS rejects the policy without one")
                }
                set.vpcEndpointPolicy = policy
            }
        }
        set.managementAccount = try optionalString(object, "managementAccount", "policies")
        return set
    }

    /// A resource-side policy: its document, or `"unread": {"read": …, "reason": …}` when the
    /// read that should have fetched it failed (see `UnreadPolicy`).
    static func resourceSide(_ value: JSONValue, _ path: String, _ type: PolicyType,
                             into set: inout PolicySet) throws(EvaluationInputError) {
        if let unread = try unread(value, path, type) {
            set.unreadPolicies.append(unread)
            return
        }
        let fields = try object(value, path)
        guard fields["document"] != nil else {
            throw EvaluationInputError(path: "\(path).document",
                message: "missing (for a policy that could not be read, give \"unread\": {\"read\": …, \"reason\": …} instead)")
        }
        let policy = try policy(value, path, allowOwner: true)
        switch type {
        case .roleTrustPolicy: set.roleTrustPolicy = policy
        case .kmsKeyPolicy: set.keyPolicy = policy
        default: set.resourcePolicy = policy
        }
    }

    /// `{"name": …, "unread": {"read": …, "reason": …}}`: a policy whose read failed (see
    /// `UnreadPolicy`); nil when the entry has no `unread`, i.e. gives a document.
    static func unread(_ value: JSONValue, _ path: String, _ type: PolicyType) throws(EvaluationInputError) -> UnreadPolicy? {
        let fields = try object(value, path)
        guard let unreadValue = fields["unread"] else { return nil }
        try allowOnly(fields, ["name", "unread"], at: path)
        let unreadPath = "\(path).unread"
        let unread = try object(unreadValue, unreadPath)
        try allowOnly(unread, ["read", "reason"], at: unreadPath)
        guard let reason = unread["reason"] else { throw EvaluationInputError(path: "\(unreadPath).reason", message: "missing") }
        return UnreadPolicy(type: type, name: try optionalString(fields, "name", path) ?? type.displayName,
                            failedRead: try optionalString(unread, "read", unreadPath),
                            reason: try string(reason, "\(unreadPath).reason"))
    }

    static func levels(_ value: JSONValue?, _ path: String) throws(EvaluationInputError) -> [OrganizationLevel] {
        guard let value else { return [] }
        var result: [OrganizationLevel] = []
        for (index, item) in try array(value, path).enumerated() {
            let levelPath = "\(path)[\(index)]"
            let object = try object(item, levelPath)
            try allowOnly(object, ["level", "policies"], at: levelPath)
            guard let nameValue = object["level"] else { throw EvaluationInputError(path: "\(levelPath).level", message: "missing") }
            let name = try string(nameValue, "\(levelPath).level")
            var policies: [AttachedPolicy] = []
            for (policyIndex, policyValue) in try array(object["policies"] ?? .array([]), "\(levelPath).policies").enumerated() {
                policies.append(try policy(policyValue, "\(levelPath).policies[\(policyIndex)]"))
            }
            result.append(OrganizationLevel(name: name, policies: policies))
        }
        return result
    }

    /// `{"name", "arn", "document", …}`; `document` is a JSON object or (URL-encoded) text.
    static func policy(_ value: JSONValue, _ path: String, allowAttachment: Bool = false, allowManagedFlag: Bool = false,
                       allowOwner: Bool = false) throws(EvaluationInputError) -> AttachedPolicy {
        let object = try object(value, path)
        var fields: Set<String> = ["name", "arn", "document"]
        if allowAttachment { fields.insert("attachedTo") }
        if allowManagedFlag { fields.insert("managed") }
        if allowOwner { fields.insert("ownerAccount") }
        try allowOnly(object, fields, at: path)
        guard let documentValue = object["document"] else { throw EvaluationInputError(path: "\(path).document", message: "missing") }
        let document: PolicyDocument
        do {
            document = try PolicyDocument.parse(json: documentValue)
        } catch {
            let nested = error.nested(under: "\(path).document")
            throw EvaluationInputError(path: nested.path, message: nested.message)
        }
        let arn = try optionalString(object, "arn", path)
        let name = try optionalString(object, "name", path) ?? arn?.split(separator: "/").last.map(String.init) ?? path
        var attachment: PolicyAttachment?
        if let attachedValue = object["attachedTo"] {
            let attachedPath = "\(path).attachedTo"
            let attached = try InputReader.object(attachedValue, attachedPath)
            try allowOnly(attached, ["type", "name", "managed"], at: attachedPath)
            guard let typeValue = attached["type"] else { throw EvaluationInputError(path: "\(attachedPath).type", message: "missing") }
            let typeText = try string(typeValue, "\(attachedPath).type")
            guard let holder = PolicyAttachment.Holder(rawValue: typeText) else {
                throw EvaluationInputError(path: "\(attachedPath).type", message: "must be \"user\", \"group\" or \"role\", found \"\(typeText)\"")
            }
            guard let holderValue = attached["name"] else { throw EvaluationInputError(path: "\(attachedPath).name", message: "missing") }
            attachment = PolicyAttachment(holder: holder, holderName: try string(holderValue, "\(attachedPath).name"),
                                          isManaged: try flag(attached["managed"], "\(attachedPath).managed") ?? (arn != nil))
        }
        if allowManagedFlag, let managed = try flag(object["managed"], "\(path).managed") {
            attachment = PolicyAttachment(holder: .group, holderName: "", isManaged: managed)
        } else if allowManagedFlag {
            attachment = PolicyAttachment(holder: .group, holderName: "", isManaged: arn != nil)
        }
        return AttachedPolicy(name: name, arn: arn, document: document, attachment: attachment,
                              ownerAccount: try optionalString(object, "ownerAccount", path))
    }

    static func flag(_ value: JSONValue?, _ path: String) throws(EvaluationInputError) -> Bool? {
        guard let value, !value.isNull else { return nil }
        guard let flag = value.boolValue else {
            throw EvaluationInputError(path: path, message: "must be true or false, found \(value.kindName)")
        }
        return flag
    }
}
