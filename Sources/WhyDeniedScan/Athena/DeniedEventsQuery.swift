import Foundation

/// The SQL that finds denied requests in a CloudTrail table (Athena) or event data store
/// (CloudTrail Lake): a time range that also prunes partitions, the principal when known, and
/// error codes like `%accessdenied%` / `%unauthorized%`, case-insensitively.
///
/// Values never reach the SQL unchecked: times are formatted here, and a principal ARN must look
/// like an ARN or an IAM name before it is quoted.
public struct DeniedEventsQuery: Sendable, Equatable {
    public struct InvalidQuery: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public let start: Date
    public let end: Date
    public let principal: String?
    public let limit: Int

    public init(start: Date, end: Date, principal: String? = nil, limit: Int = 1000) throws(InvalidQuery) {
        guard start <= end else { throw InvalidQuery(description: "the time range starts after it ends") }
        if let principal {
            guard principal.range(of: #"^[A-Za-z0-9:/_+=,.@\-]{1,2048}$"#, options: .regularExpression) != nil else {
                throw InvalidQuery(description: "\"\(principal)\" is not an ARN or an IAM name")
            }
        }
        guard (1...100_000).contains(limit) else { throw InvalidQuery(description: "the row limit must be 1 to 100000") }
        self.start = start
        self.end = end
        self.principal = principal
        self.limit = limit
    }

    /// The columns both engines return, in this order; `AthenaRows` turns them back into records.
    static let columns = ["eventid", "eventtime", "eventsource", "eventname", "awsregion", "errorcode", "errormessage",
                          "identity_type", "principal_arn", "issuer_arn", "issuer_name", "user_name", "account_id",
                          "sourceipaddress", "useragent", "vpcendpointid", "requestparameters", "recipientaccountid"]

    public func athenaSQL(table: CloudTrailAthenaTable) -> String {
        let days = Self.days(from: start, to: end).map { "'\($0)'" }.joined(separator: ", ")
        return """
        SELECT eventid, eventtime, eventsource, eventname, awsregion, errorcode, errormessage,
               useridentity.type AS identity_type, useridentity.arn AS principal_arn,
               useridentity.sessioncontext.sessionissuer.arn AS issuer_arn,
               useridentity.sessioncontext.sessionissuer.username AS issuer_name,
               useridentity.username AS user_name, useridentity.accountid AS account_id,
               sourceipaddress, useragent, vpcendpointid, requestparameters, recipientaccountid
        FROM \(table.qualifiedName)
        WHERE \(dayFilter(days))
          AND eventtime BETWEEN '\(Self.iso(start))' AND '\(Self.iso(end))'
          AND (lower(errorcode) LIKE '%accessdenied%' OR lower(errorcode) LIKE '%unauthorized%')\(principalFilter(
              arn: "useridentity.arn", issuerArn: "useridentity.sessioncontext.sessionissuer.arn",
              names: ["useridentity.username", "useridentity.sessioncontext.sessionissuer.username"]))
        ORDER BY eventtime
        LIMIT \(limit)
        """
    }

    /// CloudTrail Lake SQL against an event data store (its id is the table name).
    public func lakeSQL(eventDataStore: String) throws(InvalidQuery) -> String {
        "\(lakeSelect)\nFROM \(try Self.lakeTable(eventDataStore))\n\(lakeConditions)"
    }

    /// The event data store id Lake SQL names after FROM, from an id or ARN (checked: it goes into SQL text).
    public static func lakeTable(_ eventDataStore: String) throws(InvalidQuery) -> String {
        guard eventDataStore.range(of: #"^[A-Za-z0-9:/_\-]{1,256}$"#, options: .regularExpression) != nil else {
            throw InvalidQuery(description: "\"\(eventDataStore)\" is not an event data store id or ARN")
        }
        return eventDataStore.split(separator: "/").last.map(String.init) ?? eventDataStore
    }

    /// The SELECT part of the Lake query; columns are named as in `columns` so `QueryRows` reads both engines alike.
    public var lakeSelect: String {
        """
        SELECT eventID AS eventid, eventTime AS eventtime, eventSource AS eventsource, eventName AS eventname,
               awsRegion AS awsregion, errorCode AS errorcode, errorMessage AS errormessage,
               userIdentity.type AS identity_type, userIdentity.arn AS principal_arn,
               userIdentity.sessioncontext.sessionissuer.arn AS issuer_arn,
               userIdentity.sessioncontext.sessionissuer.userName AS issuer_name,
               userIdentity.username AS user_name, userIdentity.accountid AS account_id,
               sourceIPAddress AS sourceipaddress, userAgent AS useragent, vpcEndpointId AS vpcendpointid,
               requestParameters AS requestparameters, recipientAccountId AS recipientaccountid
        """
    }

    /// Everything after `FROM <event data store>`: the time range, error codes, principal, order and limit.
    public var lakeConditions: String {
        """
        WHERE eventTime >= '\(Self.lakeTime(start))' AND eventTime <= '\(Self.lakeTime(end))'
          AND (lower(errorCode) LIKE '%accessdenied%' OR lower(errorCode) LIKE '%unauthorized%')\(principalFilter(
              arn: "userIdentity.arn", issuerArn: "userIdentity.sessioncontext.sessionissuer.arn",
              names: ["userIdentity.username", "userIdentity.sessioncontext.sessionissuer.userName"]))
        ORDER BY eventTime
        LIMIT \(limit)
        """
    }

    private func dayFilter(_ days: String) -> String {
        // Partition pruning: only the projected days the range touches are read.
        "\"timestamp\" IN (\(days))"
    }

    private func principalFilter(arn: String, issuerArn: String, names: [String]) -> String {
        guard let principal else { return "" }
        if principal.hasPrefix("arn:") {
            return "\n  AND (\(arn) = '\(principal)' OR \(issuerArn) = '\(principal)')"
        }
        let lowered = principal.lowercased()
        return "\n  AND (" + names.map { "lower(\($0)) = '\(lowered)'" }.joined(separator: " OR ") + ")"
    }

    static func days(from start: Date, to end: Date) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = calendar.startOfDay(for: start)
        var result: [String] = []
        while day <= end, result.count < 400 {
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            result.append(String(format: "%04d/%02d/%02d", parts.year!, parts.month!, parts.day!))
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return result
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }

    static func lakeTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
