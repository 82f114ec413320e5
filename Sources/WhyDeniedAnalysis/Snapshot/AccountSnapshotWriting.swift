import Foundation
import WhyDeniedJSON

extension AccountSnapshot {
    /// Writes the snapshot as `index.json` plus one file per policy, at each policy's `file`
    /// path under `directory` (created when missing). `load(from:)` reads it back.
    public func write(to directory: URL) throws {
        let manager = FileManager.default
        var index = JSONObject()
        index["format"] = .string(Self.formatName)
        index["formatVersion"] = .number(Double(Self.formatVersion))
        if let accountId { index["accountId"] = .string(accountId) }
        if let capturedAt { index["capturedAt"] = .string(capturedAt) }
        if let managementAccountId { index["managementAccountId"] = .string(managementAccountId) }

        var written: [String: JSONValue] = [:]
        func entry(_ policy: SnapshotPolicy, extra: [(String, JSONValue)] = []) throws -> JSONValue {
            if let previous = written[policy.file], previous != policy.document {
                throw AccountSnapshotError(file: policy.file, problem: "two different policies would be written to the same file")
            }
            written[policy.file] = policy.document
            var object = JSONObject(extra)
            object["name"] = .string(policy.name)
            if let arn = policy.arn { object["arn"] = .string(arn) }
            object["file"] = .string(policy.file)
            return .object(object)
        }

        index["principals"] = .array(try principals.map { principal in
            var object = JSONObject([("arn", .string(principal.arn))])
            if let uniqueId = principal.uniqueId { object["uniqueId"] = .string(uniqueId) }
            object["policies"] = .array(try principal.policies.map { try entry($0) })
            if !principal.groups.isEmpty { object["groups"] = .array(principal.groups.map { .string($0) }) }
            if let boundary = principal.permissionsBoundary { object["permissionsBoundary"] = try entry(boundary) }
            if !principal.sessionPolicies.isEmpty { object["sessionPolicies"] = .array(try principal.sessionPolicies.map { try entry($0) }) }
            if !principal.tags.isEmpty {
                object["tags"] = .object(JSONObject(principal.tags.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
            }
            if !principal.unreadPolicies.isEmpty {
                object["unreadPolicies"] = .array(principal.unreadPolicies.map { unread in
                    var fields: [(String, JSONValue)] = [("type", .string(unread.type.rawValue)), ("name", .string(unread.name))]
                    if let read = unread.failedRead { fields.append(("failedRead", .string(read))) }
                    fields.append(("reason", .string(unread.reason)))
                    return .object(JSONObject(fields))
                })
            }
            return .object(object)
        })
        index["groups"] = .array(try groups.map { group in
            .object(JSONObject([("arn", .string(group.arn)), ("policies", .array(try group.policies.map { try entry($0) }))]))
        })
        index["resourcePolicies"] = .array(try resourcePolicies.map {
            try entry($0.policy, extra: [("resourceArn", .string($0.resourceArn)), ("kind", .string($0.kind.rawValue))])
        })
        if !unreadResourcePolicies.isEmpty {
            index["unreadResourcePolicies"] = .array(unreadResourcePolicies.map { entry in
                var fields: [(String, JSONValue)] = [("resourceArn", .string(entry.resourceArn)), ("kind", .string(entry.kind.rawValue)),
                                                     ("name", .string(entry.name))]
                if let read = entry.failedRead { fields.append(("failedRead", .string(read))) }
                fields.append(("reason", .string(entry.reason)))
                return .object(JSONObject(fields))
            })
        }
        for (key, levels) in [("serviceControlPolicies", serviceControlPolicies), ("resourceControlPolicies", resourceControlPolicies)] {
            index[key] = .array(try levels.flatMap { level in
                try level.policies.map { try entry($0, extra: [("level", .number(Double(level.level))), ("target", .string(level.target))]) }
            })
        }
        if !resourceAccountControlPolicies.isEmpty {
            index["resourceAccountControlPolicies"] = .array(try resourceAccountControlPolicies.map { path in
                var object = JSONObject([("accountId", .string(path.accountId))])
                object["policies"] = .array(try path.levels.flatMap { level in
                    try level.policies.map { try entry($0, extra: [("level", .number(Double(level.level))), ("target", .string(level.target))]) }
                })
                if let unread = path.unread {
                    var fields: [(String, JSONValue)] = [("name", .string(unread.name))]
                    if let read = unread.failedRead { fields.append(("failedRead", .string(read))) }
                    fields.append(("reason", .string(unread.reason)))
                    object["unread"] = .object(JSONObject(fields))
                }
                return .object(object)
            })
        }
        index["vpcEndpointPolicies"] = .array(try vpcEndpointPolicies.map { endpoint in
            var extra: [(String, JSONValue)] = [("vpcEndpointId", .string(endpoint.vpcEndpointId))]
            if let vpc = endpoint.vpcId { extra.append(("vpcId", .string(vpc))) }
            return try entry(endpoint.policy, extra: extra)
        })
        if !unreadVpcEndpointPolicies.isEmpty {
            index["unreadVpcEndpointPolicies"] = .array(unreadVpcEndpointPolicies.map { entry in
                var fields: [(String, JSONValue)] = [("vpcEndpointId", .string(entry.vpcEndpointId))]
                if let read = entry.failedRead { fields.append(("failedRead", .string(read))) }
                fields.append(("reason", .string(entry.reason)))
                return .object(JSONObject(fields))
            })
        }
        if !s3Buckets.isEmpty { index["s3Buckets"] = .array(s3Buckets.map(\.json)) }
        if !ownerFacts.isEmpty {
            index["ownerFacts"] = .array(ownerFacts.map { facts in
                var fields: [(String, JSONValue)] = [("arn", .string(facts.arn))]
                if let path = facts.path { fields.append(("path", .string(path))) }
                if !facts.tags.isEmpty { fields.append(("tags", .object(JSONObject(facts.tags.map { ($0.key, .string($0.value)) })))) }
                if let count = facts.attachmentCount { fields.append(("attachmentCount", .number(Double(count)))) }
                return .object(JSONObject(fields))
            })
        }

        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        for (file, document) in written {
            let url = directory.appendingPathComponent(file)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((document.serialized(pretty: true) + "\n").utf8).write(to: url)
        }
        try Data((JSONValue.object(index).serialized(pretty: true) + "\n").utf8)
            .write(to: directory.appendingPathComponent("index.json"))
    }
}
