import WhyDeniedJSON

/// The JSON forms of S3's bucket controls: the AWS CLI's own shapes (`PublicAccessBlockConfiguration`,
/// `get-bucket-acl`'s `Grants`), read from a session's captures, and the snapshot's `s3Buckets`
/// entries in `index.json`, where each setting is its CLI shape, absent (not set), or
/// `{"unread": {"failedRead": …, "reason": …}}`.
///
/// ```swift
/// BlockPublicAccess(json: try JSONValue.parse(#"{"RestrictPublicBuckets": true}"#))?.restrictPublicBuckets   // true
/// ```
extension BlockPublicAccess {
    /// `PublicAccessBlockConfiguration`: four booleans, an absent one false.
    public init?(json value: JSONValue) {
        guard value.objectValue != nil else { return nil }
        func flag(_ key: String) -> Bool { value[key]?.boolValue ?? false }
        self.init(blockPublicAcls: flag("BlockPublicAcls"), ignorePublicAcls: flag("IgnorePublicAcls"),
                  blockPublicPolicy: flag("BlockPublicPolicy"), restrictPublicBuckets: flag("RestrictPublicBuckets"))
    }

    public var json: JSONValue {
        .object(JSONObject([("BlockPublicAcls", .bool(blockPublicAcls)), ("IgnorePublicAcls", .bool(ignorePublicAcls)),
                            ("BlockPublicPolicy", .bool(blockPublicPolicy)), ("RestrictPublicBuckets", .bool(restrictPublicBuckets))]))
    }
}

extension S3ACLGrant {
    /// One of `get-bucket-acl`'s `Grants`: `{Grantee: {Type, ID | URI | EmailAddress}, Permission}`.
    public init?(json value: JSONValue) {
        guard let permission = value["Permission"]?.stringValue.flatMap(Permission.init(rawValue:)),
              let grantee = value["Grantee"] else { return nil }
        switch grantee["Type"]?.stringValue {
        case "CanonicalUser": guard let id = grantee["ID"]?.stringValue else { return nil }; self.init(grantee: .canonicalUser(id: id), permission: permission)
        case "Group": guard let uri = grantee["URI"]?.stringValue else { return nil }; self.init(grantee: .group(uri: uri), permission: permission)
        case "AmazonCustomerByEmail":
            guard let address = grantee["EmailAddress"]?.stringValue else { return nil }
            self.init(grantee: .email(address), permission: permission)
        default: return nil
        }
    }

    public var json: JSONValue? {
        let grantee: [(String, JSONValue)]
        switch self.grantee {
        case .canonicalUser(let id): grantee = [("Type", .string("CanonicalUser")), ("ID", .string(id))]
        case .group(let uri): grantee = [("Type", .string("Group")), ("URI", .string(uri))]
        case .email(let address): grantee = [("Type", .string("AmazonCustomerByEmail")), ("EmailAddress", .string(address))]
        case .unknown: return nil
        }
        return .object(JSONObject([("Grantee", .object(JSONObject(grantee))), ("Permission", .string(permission.rawValue))]))
    }
}

extension S3BucketAccessControls {
    /// The snapshot's entry: `{bucket, ownerAccount?, ownerCanonicalId?, accountBlockPublicAccess?,
    /// bucketBlockPublicAccess?, objectOwnership?, aclGrants?, objectAcls?}`.
    public var json: JSONValue {
        var object = JSONObject([("bucket", .string(bucket))])
        if let ownerAccount { object["ownerAccount"] = .string(ownerAccount) }
        if let ownerCanonicalId { object["ownerCanonicalId"] = .string(ownerCanonicalId) }
        func put<Value>(_ key: String, _ setting: S3Setting<Value>, _ encode: (Value) -> JSONValue) {
            switch setting {
            case .notSet: break
            case .set(let value): object[key] = encode(value)
            case .unread(let read, let reason):
                object[key] = .object(JSONObject([("unread", .object(JSONObject([("failedRead", .string(read)), ("reason", .string(reason))])))]))
            }
        }
        put("accountBlockPublicAccess", accountBlock, \.json)
        put("bucketBlockPublicAccess", bucketBlock, \.json)
        put("objectOwnership", objectOwnership) { .string($0.rawValue) }
        put("aclGrants", acl) { .array($0.compactMap(\.json)) }
        // Each object read: its ACL, or {key, unread}; a key whose object does not exist is left out.
        let objects: [JSONValue] = objectACLs.keys.sorted().compactMap { key in
            switch objectACLs[key] ?? .notSet {
            case .notSet: return nil
            case .set(let acl): return acl.json
            case .unread(let read, let reason):
                return .object(JSONObject([("key", .string(key)),
                                           ("unread", .object(JSONObject([("failedRead", .string(read)), ("reason", .string(reason))])))]))
            }
        }
        if !objects.isEmpty { object["objectAcls"] = .array(objects) }
        return .object(object)
    }

    /// Reads a snapshot entry; nil (with the JSON key that is wrong) when it is not one.
    public init(json value: JSONValue) throws(S3ControlsJSONError) {
        guard let bucket = value["bucket"]?.stringValue else { throw S3ControlsJSONError(key: "bucket", problem: "expected the bucket's name") }
        self.init(bucket: bucket, ownerAccount: value["ownerAccount"]?.stringValue)
        ownerCanonicalId = value["ownerCanonicalId"]?.stringValue
        func get<Value>(_ key: String, _ decode: (JSONValue) -> Value?) throws(S3ControlsJSONError) -> S3Setting<Value> {
            guard let entry = value[key], !entry.isNull else { return .notSet }
            if let unread = entry["unread"] {
                guard let read = unread["failedRead"]?.stringValue, let reason = unread["reason"]?.stringValue else {
                    throw S3ControlsJSONError(key: key + ".unread", problem: "expected failedRead and reason")
                }
                return .unread(read: read, reason: reason)
            }
            guard let decoded = decode(entry) else { throw S3ControlsJSONError(key: key, problem: "not in the AWS CLI's shape") }
            return .set(decoded)
        }
        accountBlock = try get("accountBlockPublicAccess", BlockPublicAccess.init(json:))
        bucketBlock = try get("bucketBlockPublicAccess", BlockPublicAccess.init(json:))
        objectOwnership = try get("objectOwnership") { $0.stringValue.flatMap(ObjectOwnership.init(rawValue:)) }
        acl = try get("aclGrants") { $0.arrayValue.map { $0.compactMap(S3ACLGrant.init(json:)) } }
        if let objects = value["objectAcls"], !objects.isNull {
            guard let entries = objects.arrayValue else { throw S3ControlsJSONError(key: "objectAcls", problem: "expected a list") }
            for (index, entry) in entries.enumerated() {
                let path = "objectAcls[\(index)]"
                guard let key = entry["key"]?.stringValue, !key.isEmpty else { throw S3ControlsJSONError(key: path + ".key", problem: "expected the object's key") }
                if let unread = entry["unread"] {
                    guard let read = unread["failedRead"]?.stringValue, let reason = unread["reason"]?.stringValue else {
                        throw S3ControlsJSONError(key: path + ".unread", problem: "expected failedRead and reason")
                    }
                    objectACLs[key] = .unread(read: read, reason: reason)
                    continue
                }
                guard let grants = entry["grants"]?.arrayValue else { throw S3ControlsJSONError(key: path + ".grants", problem: "expected the ACL's grants in the AWS CLI's shape") }
                objectACLs[key] = .set(S3ObjectACL(key: key, ownerCanonicalId: entry["ownerCanonicalId"]?.stringValue,
                                                   grants: grants.compactMap(S3ACLGrant.init(json:))))
            }
        }
    }
}

/// A snapshot `s3Buckets` entry that is not one: the key and what is wrong with it.
public struct S3ControlsJSONError: Error, Sendable {
    public var key: String
    public var problem: String
}
