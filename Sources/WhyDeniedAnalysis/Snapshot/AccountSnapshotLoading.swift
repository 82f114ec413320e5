import Foundation
import WhyDeniedJSON

extension AccountSnapshot {
    /// Reads a snapshot directory: `index.json` and the policy files it names. Every problem is
    /// reported with the file and the JSON path (`principals[0].policies[1].file`).
    public static func load(from directory: URL) throws -> AccountSnapshot {
        let indexFile = "index.json"
        let root = try readJSON(directory.appendingPathComponent(indexFile), name: indexFile)
        let index = IndexReader(file: indexFile, directory: directory)
        guard case .object = root else {
            throw AccountSnapshotError(file: indexFile, problem: "expected a JSON object at the top level")
        }
        if let format = root["format"]?.stringValue, format != formatName {
            throw AccountSnapshotError(file: indexFile, path: "format", problem: "is \"\(format)\", expected \"\(formatName)\"")
        }
        if let version = root["formatVersion"], version.intValue != formatVersion {
            throw AccountSnapshotError(file: indexFile, path: "formatVersion",
                                       problem: "is \(version.serialized()), this whydenied reads version \(formatVersion)")
        }
        let principals: [SnapshotPrincipal] = try index.list(root, "principals", at: "") { item, path in
            let arn = try index.string(item, "arn", at: path)
            let boundary = try item["permissionsBoundary"].map {
                try index.policy($0, at: path + ".permissionsBoundary", attachedTo: arn)
            }
            let tags = try index.tags(item, at: path)
            return SnapshotPrincipal(
                arn: arn, uniqueId: try index.optionalString(item, "uniqueId", at: path),
                policies: try index.list(item, "policies", at: path) { try index.policy($0, at: $1, attachedTo: arn) },
                groups: try index.list(item, "groups", at: path) { value, groupPath in
                    guard let text = value.stringValue else {
                        throw AccountSnapshotError(file: indexFile, path: groupPath, problem: "expected a group ARN string")
                    }
                    return text
                },
                permissionsBoundary: boundary, tags: tags,
                unreadPolicies: try index.list(item, "unreadPolicies", at: path) { unread, unreadPath in
                    let typeText = try index.string(unread, "type", at: unreadPath)
                    let callerSide: [PolicyType] = [.permissionsBoundary, .identityBased, .sessionPolicy]
                    guard let type = PolicyType(rawValue: typeText), callerSide.contains(type) else {
                        throw AccountSnapshotError(file: indexFile, path: unreadPath + ".type",
                                                   problem: "unknown type \"\(typeText)\"; expected one of \(callerSide.map(\.rawValue).joined(separator: ", "))")
                    }
                    return UnreadPolicy(type: type, name: try index.optionalString(unread, "name", at: unreadPath) ?? type.displayName,
                                        failedRead: try index.optionalString(unread, "failedRead", at: unreadPath),
                                        reason: try index.string(unread, "reason", at: unreadPath))
                },
                sessionPolicies: try index.list(item, "sessionPolicies", at: path) { try index.policy($0, at: $1, attachedTo: arn) })
        }
        let groups: [SnapshotGroup] = try index.list(root, "groups", at: "") { item, path in
            let arn = try index.string(item, "arn", at: path)
            return SnapshotGroup(arn: arn, policies: try index.list(item, "policies", at: path) {
                try index.policy($0, at: $1, attachedTo: arn)
            })
        }
        let resourcePolicies: [SnapshotResourcePolicy] = try index.list(root, "resourcePolicies", at: "") { item, path in
            let arn = try index.string(item, "resourceArn", at: path)
            let kindText = try index.optionalString(item, "kind", at: path) ?? "other"
            guard let kind = ResourcePolicyKind(rawValue: kindText) else {
                let known = ResourcePolicyKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw AccountSnapshotError(file: indexFile, path: path + ".kind", problem: "unknown kind \"\(kindText)\"; expected one of \(known)")
            }
            return SnapshotResourcePolicy(resourceArn: arn, kind: kind, policy: try index.policy(item, at: path, attachedTo: arn))
        }
        let unread: [SnapshotUnreadPolicy] = try index.list(root, "unreadResourcePolicies", at: "") { item, path in
            let arn = try index.string(item, "resourceArn", at: path)
            let kindText = try index.optionalString(item, "kind", at: path) ?? "other"
            guard let kind = ResourcePolicyKind(rawValue: kindText) else {
                let known = ResourcePolicyKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw AccountSnapshotError(file: indexFile, path: path + ".kind", problem: "unknown kind \"\(kindText)\"; expected one of \(known)")
            }
            return SnapshotUnreadPolicy(resourceArn: arn, kind: kind, name: try index.optionalString(item, "name", at: path) ?? "\(kindText) of \(arn)",
                                        failedRead: try index.optionalString(item, "failedRead", at: path),
                                        reason: try index.string(item, "reason", at: path))
        }
        let endpoints: [SnapshotEndpointPolicy] = try index.list(root, "vpcEndpointPolicies", at: "") { item, path in
            let id = try index.string(item, "vpcEndpointId", at: path)
            return SnapshotEndpointPolicy(vpcEndpointId: id, vpcId: try index.optionalString(item, "vpcId", at: path),
                                          policy: try index.policy(item, at: path, attachedTo: id))
        }
        let unreadEndpoints: [SnapshotUnreadEndpointPolicy] = try index.list(root, "unreadVpcEndpointPolicies", at: "") { item, path in
            SnapshotUnreadEndpointPolicy(vpcEndpointId: try index.string(item, "vpcEndpointId", at: path),
                                         failedRead: try index.optionalString(item, "failedRead", at: path),
                                         reason: try index.string(item, "reason", at: path))
        }
        let resourceAccountPaths: [ResourceAccountControlPolicies] = try index.list(root, "resourceAccountControlPolicies", at: "") { item, path in
            let account = try index.string(item, "accountId", at: path)
            var unread: UnreadPolicy?
            if let fields = item["unread"], !fields.isNull {
                let at = path + ".unread"
                unread = UnreadPolicy(type: .resourceControlPolicy,
                                      name: try index.optionalString(fields, "name", at: at) ?? UnreadPolicy.organizationPathName(.resourceControlPolicy, of: account),
                                      failedRead: try index.optionalString(fields, "failedRead", at: at),
                                      reason: try index.string(fields, "reason", at: at), account: account)
            }
            return ResourceAccountControlPolicies(accountId: account, levels: try index.levels(item, "policies", at: path), unread: unread)
        }
        let ownerFacts: [FixTargetFacts] = try index.list(root, "ownerFacts", at: "") { item, path in
            let tags = try index.tags(item, at: path)
            var count: Int? = nil
            if let value = item["attachmentCount"], !value.isNull {
                guard let number = value.intValue, number >= 0 else {
                    throw AccountSnapshotError(file: indexFile, path: path + ".attachmentCount", problem: "expected a whole number")
                }
                count = number
            }
            return FixTargetFacts(arn: try index.string(item, "arn", at: path), path: try index.optionalString(item, "path", at: path),
                                  tags: tags.sorted { $0.key < $1.key }.map { FixTargetFacts.Tag(key: $0.key, value: $0.value) },
                                  attachmentCount: count)
        }
        let s3Buckets: [S3BucketAccessControls] = try index.list(root, "s3Buckets", at: "") { item, path in
            do throws(S3ControlsJSONError) {
                return try S3BucketAccessControls(json: item)
            } catch {
                throw AccountSnapshotError(file: indexFile, path: path + "." + error.key, problem: error.problem)
            }
        }
        return AccountSnapshot(
            accountId: try index.optionalString(root, "accountId", at: ""),
            capturedAt: try index.optionalString(root, "capturedAt", at: ""),
            managementAccountId: try index.optionalString(root, "managementAccountId", at: ""),
            principals: principals, groups: groups, resourcePolicies: resourcePolicies, unreadResourcePolicies: unread,
            serviceControlPolicies: try index.levels(root, "serviceControlPolicies"),
            resourceControlPolicies: try index.levels(root, "resourceControlPolicies"),
            resourceAccountControlPolicies: resourceAccountPaths,
            vpcEndpointPolicies: endpoints, unreadVpcEndpointPolicies: unreadEndpoints, ownerFacts: ownerFacts,
            s3Buckets: s3Buckets)
    }

    static func readJSON(_ url: URL, name: String) throws -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AccountSnapshotError(file: name, problem: "cannot be read (\(FileManager.default.fileExists(atPath: url.path) ? error.localizedDescription : "no such file"))")
        }
        do {
            return try JSONValue.parse(data)
        } catch {
            throw AccountSnapshotError(file: name, problem: "is not valid JSON (\(error))")
        }
    }

    /// A policy file may hold the document itself, or the AWS CLI output that wraps it
    /// (`get-policy-version`, `get-role-policy`, `get-bucket-policy`, `get-key-policy`), with the
    /// document as an object, a JSON string, or URL-encoded text as IAM's API returns it.
    static func unwrapPolicyDocument(_ value: JSONValue, file: String) throws -> JSONValue {
        var current = value
        for wrapper in [["PolicyVersion", "Document"], ["PolicyDocument"], ["Policy"], ["Content"]] {
            var candidate: JSONValue? = current
            for key in wrapper { candidate = candidate?[key] }
            if let candidate, current["Statement"] == nil {
                current = candidate
                break
            }
        }
        if case .string(let text) = current {
            let decoded = text.contains("%7B") || text.contains("%22") ? (text.removingPercentEncoding ?? text) : text
            do {
                current = try JSONValue.parse(decoded)
            } catch {
                throw AccountSnapshotError(file: file, problem: "holds a policy string that is not valid JSON (\(error))")
            }
        }
        guard current["Statement"] != nil else {
            throw AccountSnapshotError(file: file, problem: "is not a policy document: no \"Statement\" found")
        }
        return current
    }
}

/// Reads index.json fields with the JSON path of each, for error messages.
private struct IndexReader {
    let file: String
    let directory: URL

    func string(_ object: JSONValue, _ key: String, at path: String) throws -> String {
        guard let value = try optionalString(object, key, at: path) else {
            throw AccountSnapshotError(file: file, path: join(path, key), problem: "is missing")
        }
        return value
    }

    func optionalString(_ object: JSONValue, _ key: String, at path: String) throws -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue, !text.isEmpty else {
            throw AccountSnapshotError(file: file, path: join(path, key), problem: "expected a non-empty string")
        }
        return text
    }

    func list<T>(_ object: JSONValue, _ key: String, at path: String,
                 _ read: (JSONValue, String) throws -> T) throws -> [T] {
        guard let value = object[key], !value.isNull else { return [] }
        guard let items = value.arrayValue else {
            throw AccountSnapshotError(file: file, path: join(path, key), problem: "expected a list")
        }
        return try items.enumerated().map { offset, item in try read(item, "\(join(path, key))[\(offset)]") }
    }

    func policy(_ item: JSONValue, at path: String, attachedTo: String) throws -> SnapshotPolicy {
        guard case .object = item else {
            throw AccountSnapshotError(file: file, path: path, problem: "expected an object with \"file\"")
        }
        let relative = try string(item, "file", at: path)
        if relative.hasPrefix("/") || relative.split(separator: "/").contains("..") {
            throw AccountSnapshotError(file: file, path: join(path, "file"), problem: "\"\(relative)\" must be a path inside the snapshot directory")
        }
        let url = directory.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw AccountSnapshotError(file: file, path: join(path, "file"), problem: "\(relative) does not exist")
        }
        let raw = try AccountSnapshot.readJSON(url, name: relative)
        let document = try AccountSnapshot.unwrapPolicyDocument(raw, file: relative)
        let name = try optionalString(item, "name", at: path) ?? (relative as NSString).lastPathComponent
        return SnapshotPolicy(name: name, arn: try optionalString(item, "arn", at: path) ?? optionalString(item, "id", at: path),
                              attachedTo: attachedTo, file: relative, document: document)
    }

    /// `tags`: an object of tag names to values (`{"aws:cloudformation:stack-name": "orders"}`).
    func tags(_ item: JSONValue, at path: String) throws -> [String: String] {
        guard let tagValue = item["tags"] else { return [:] }
        guard let object = tagValue.objectValue else {
            throw AccountSnapshotError(file: file, path: join(path, "tags"), problem: "expected an object of tag names to values")
        }
        var tags: [String: String] = [:]
        for (key, value) in object.entries {
            guard let text = value.scalarText else {
                throw AccountSnapshotError(file: file, path: "\(join(path, "tags")).\(key)", problem: "expected a string")
            }
            tags[key] = text
        }
        return tags
    }

    func levels(_ root: JSONValue, _ key: String, at rootPath: String = "") throws -> [OrganizationPolicyLevel] {
        let entries: [(Int, String, SnapshotPolicy)] = try list(root, key, at: rootPath) { item, path in
            guard let level = item["level"]?.intValue, level >= 0 else {
                throw AccountSnapshotError(file: file, path: join(path, "level"), problem: "expected a level number (0 = root, the account last)")
            }
            let target = try string(item, "target", at: path)
            return (level, target, try policy(item, at: path, attachedTo: target))
        }
        var byLevel: [Int: OrganizationPolicyLevel] = [:]
        for (level, target, policy) in entries {
            if var existing = byLevel[level] {
                guard existing.target == target else {
                    throw AccountSnapshotError(file: file, path: join(rootPath, key), problem: "level \(level) names two targets, \(existing.target) and \(target)")
                }
                existing.policies.append(policy)
                byLevel[level] = existing
            } else {
                byLevel[level] = OrganizationPolicyLevel(level: level, target: target, policies: [policy])
            }
        }
        return byLevel.values.sorted { $0.level < $1.level }
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
