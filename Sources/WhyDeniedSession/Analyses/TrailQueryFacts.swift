import Foundation
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedScan

/// The `plan_trail_queries` analysis (step `check_trails`): from where the trail delivers
/// (`trail_buckets`), the account (`principal.account_id`, the `account_id` parameter or the
/// caller's account), the region and the time frame, the `athena.*` facts (table DDL,
/// denied-events SQL, result location, work group) and the `lake.*` query halves the lookup
/// step's Athena and CloudTrail Lake commands send. Without a bucket or a time frame it returns
/// fewer facts and says why in a note; those commands then simply don't apply.
///
/// ```swift
/// let plan = TrailQueryFacts.derive(captures: engine.captures, facts: engine.facts, parameters: engine.parameters)
/// plan.facts["athena.output_location"]   // "s3://org-trail/athena-results/"
/// ```
public enum TrailQueryFacts {
    public struct Derived: Sendable, Equatable {
        public var facts: [String: JSONValue]
        public var notes: [String]
    }

    public static func derive(captures: [String: JSONValue], facts: [String: JSONValue],
                              parameters: [String: String]) -> Derived {
        var result = Derived(facts: [:], notes: [])
        guard let start = facts["time.start"]?.stringValue.flatMap(Timestamp.parseISO),
              let end = facts["time.end"]?.stringValue.flatMap(Timestamp.parseISO) else {
            result.notes.append("Athena and CloudTrail Lake are not offered: the time frame is not known.")
            return result
        }
        let principal = facts["principal.arn"]?.stringValue ?? parameters["principal"]
        do {
            let query = try DeniedEventsQuery(start: start, end: end, principal: principal)
            result.facts["lake.query_select"] = .string(query.lakeSelect)
            result.facts["lake.query_conditions"] = .string(query.lakeConditions)
        } catch {
            result.notes.append("CloudTrail Lake is not offered: \(error.description)")
        }
        guard let region = parameters["region"] else { return result }
        let accounts = [facts["principal.account_id"]?.stringValue, parameters["account_id"],
                        captures["caller_account"]?.stringValue].compactMap { $0 }
        for destination in CapturedAccount.list(captures["trail_buckets"]) {
            guard let bucket = destination["bucket"]?.stringValue else { continue }
            do {
                let plan = try TrailQueryPlan(bucket: bucket, prefix: destination["prefix"]?.stringValue, accounts: accounts,
                                              region: region, start: start, end: end, principal: principal)
                result.facts["athena.create_table"] = .string(plan.createTable)
                result.facts["athena.denied_events_query"] = .string(plan.athenaQuery)
                result.facts["athena.output_location"] = .string(plan.outputLocation)
                result.facts["athena.work_group"] = .string(TrailQueryPlan.workGroup)
                return result
            } catch {
                result.notes.append("Athena is not offered for the trail bucket \(bucket): \(error.description)")
            }
        }
        return result
    }
}
