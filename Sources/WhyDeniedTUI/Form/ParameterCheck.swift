import Foundation

/// Validation of each runbook parameter as the operator types it. A check either passes with an
/// optional note to show (the resolved UTC range of a time frame, the kind of principal) or
/// fails with the reason.
///
/// ```swift
/// ParameterCheck.check("account_id", "12345", now: now) // .invalid("12 digits expected, got 5")
/// ```
public enum ParameterCheck: Hashable, Sendable {
    case empty
    case valid(note: String?)
    case invalid(FieldProblem)

    public var isAcceptable: Bool {
        if case .invalid = self { return false }
        return true
    }

    public static func check(_ name: String, _ rawValue: String, now: Date) -> ParameterCheck {
        let value = rawValue.trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return .empty }
        switch name {
        case "principal": return principal(value)
        case "time_frame":
            switch TimeFrameText.resolve(value, now: now) {
            case .success(let range):
                return .valid(note: "\(TimeFrameText.format(range.lowerBound)) → \(TimeFrameText.format(range.upperBound)) UTC")
            case .failure(let problem): return .invalid(problem)
            }
        case "region":
            return matches(value, #"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$"#)
                ? .valid(note: nil) : .invalid(FieldProblem("not a region name like us-east-1"))
        case "account_id":
            guard value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return .invalid(FieldProblem("digits only"))
            }
            return value.count == 12 ? .valid(note: nil)
                : .invalid(FieldProblem("12 digits expected, got \(value.count)"))
        case "resource":
            if value.hasPrefix("arn:") {
                return arn(value).map { .invalid($0) } ?? .valid(note: nil)
            }
            return value.contains(" ") ? .invalid(FieldProblem("a name or ARN has no spaces")) : .valid(note: "name")
        case "action":
            return matches(value, #"^[a-z0-9-]+:[A-Za-z0-9*]+$"#)
                ? .valid(note: nil) : .invalid(FieldProblem("expected service:Action, e.g. s3:GetObject"))
        case "profile", "org_profile", "resource_profile":
            return value.contains(" ") ? .invalid(FieldProblem("profile names have no spaces")) : .valid(note: nil)
        default:
            return .valid(note: nil)
        }
    }

    private static func principal(_ value: String) -> ParameterCheck {
        if value.hasPrefix("arn:") {
            if let problem = arn(value) { return .invalid(problem) }
            let parts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts[2] == "iam" || parts[2] == "sts" else {
                return .invalid(FieldProblem("principal ARN must be an iam or sts ARN"))
            }
            let resource = parts[5]
            for kind in ["user/", "role/", "assumed-role/"] where resource.hasPrefix(kind) {
                return .valid(note: String(kind.dropLast()))
            }
            return .invalid(FieldProblem("expected a user, role or assumed-role ARN"))
        }
        return matches(value, #"^[A-Za-z0-9+=,.@_-]{1,128}$"#)
            ? .valid(note: "name") : .invalid(FieldProblem("IAM names use letters, digits and +=,.@_-"))
    }

    /// nil when `value` is a well-formed ARN, else the problem.
    private static func arn(_ value: String) -> FieldProblem? {
        let parts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6 else { return FieldProblem("an ARN has 6 parts: arn:partition:service:region:account:resource") }
        guard ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"].contains(String(parts[1])) else {
            return FieldProblem("unknown partition \"\(parts[1])\"")
        }
        guard !parts[2].isEmpty else { return FieldProblem("ARN has no service") }
        let account = parts[4]
        guard account.isEmpty || account == "aws" || (account.count == 12 && account.allSatisfy(\.isNumber)) else {
            return FieldProblem("account in ARN must be 12 digits")
        }
        guard !parts[5].isEmpty else { return FieldProblem("ARN has no resource") }
        return nil
    }

    private static func matches(_ value: String, _ pattern: String) -> Bool {
        value.range(of: pattern, options: .regularExpression) != nil
    }
}
