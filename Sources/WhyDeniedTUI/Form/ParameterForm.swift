import Foundation
import WhyDeniedEvidence
import WhyDeniedSession

/// The one-screen form of runbook parameters (names as in `Runbooks/access-denied.yaml`), each
/// with where its value came from and its live validation. Nothing runs until the form is valid
/// and the operator confirms it.
///
/// ```swift
/// var form = ParameterForm.standard(environment: ["AWS_REGION": "eu-west-1"], now: .now)
/// form.value(of: "region") // "eu-west-1", origin "from AWS_REGION"
/// ```
public struct ParameterForm: Hashable, Sendable {
    public struct Field: Hashable, Sendable {
        public let name: String
        public let label: String
        public let required: Bool
        /// Said instead of "optional" while an optional field is empty: when it is needed.
        public let hint: String?
        public var input: TextField
        /// Where the value came from (the environment, the pasted text, …); nil once typed.
        public var origin: ParameterOrigin?

        public init(name: String, label: String, required: Bool, hint: String? = nil, value: String = "", origin: ParameterOrigin? = nil) {
            self.name = name
            self.label = label
            self.required = required
            self.hint = hint
            self.input = TextField(value)
            self.origin = origin
        }
    }

    public var fields: [Field]
    /// The pasted message as the parser read it, while `error_message` still holds its text.
    public var pastedDenial: PastedDenial?
    public var focus = 0
    /// Set after a confirm attempt, so empty required fields are shown as errors only then.
    public var triedToConfirm = false

    public init(fields: [Field]) {
        self.fields = fields
    }

    /// The runbook's parameters plus the AWS profile, with defaults from the environment.
    public static func standard(environment: [String: String]) -> ParameterForm {
        let regionSource = ["AWS_REGION", "AWS_DEFAULT_REGION"].first { !(environment[$0] ?? "").isEmpty }
        let profile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        return ParameterForm(fields: [
            Field(name: "principal", label: "Principal (user/role name or ARN)", required: true),
            Field(name: "time_frame", label: "Time frame", required: true, value: "1 hour ago",
                  origin: ParameterOrigin(source: .defaultValue)),
            Field(name: "region", label: "Region", required: true,
                  value: regionSource.flatMap { environment[$0] } ?? "",
                  origin: regionSource.map { ParameterOrigin(source: .environment, detail: $0) }),
            Field(name: "resource", label: "Resource (ARN or name)", required: false),
            Field(name: "account_id", label: "Account id", required: false),
            Field(name: "action", label: "Action (service:Action)", required: false),
            Field(name: "error_message", label: "Error message", required: false),
            Field(name: "profile", label: "AWS profile", required: false, value: profile ?? "",
                  origin: profile.map { _ in ParameterOrigin(source: .environment, detail: "AWS_PROFILE") }),
            Field(name: "org_profile", label: "Organization profile (SCP reads)", required: false),
            // Last, so the fields above keep their places.
            Field(name: "resource_profile", label: "Resource account profile", required: false,
                  hint: "needed only when the resource is in another account"),
        ])
    }

    public func value(of name: String) -> String? {
        fields.first { $0.name == name }.map { $0.input.text.trimmingCharacters(in: .whitespaces) }
    }

    public mutating func set(_ name: String, to value: String, origin: ParameterOrigin?) {
        guard let index = fields.firstIndex(where: { $0.name == name }) else { return }
        fields[index].input.text = value
        fields[index].origin = origin
    }

    public func check(_ field: Field, now: Date) -> ParameterCheck {
        ParameterCheck.check(field.name, field.input.text, now: now)
    }

    /// Problems that block confirmation, by field name, in form order.
    public func problems(now: Date) -> [(name: String, problem: String)] {
        fields.compactMap { field in
            switch check(field, now: now) {
            case .empty: return field.required ? (field.name, "required") : nil
            case .invalid(let problem): return (field.name, problem.description)
            case .valid: return nil
            }
        }
    }

    /// Non-empty values by parameter name: what the session starts with.
    public var values: [String: String] {
        var result: [String: String] = [:]
        for field in fields {
            let value = field.input.text.trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { result[field.name] = value }
        }
        return result
    }

    /// Where each non-empty value came from (the environment, the paste, a default); a value
    /// the operator typed has no entry.
    public var origins: [String: ParameterOrigin] {
        var result: [String: ParameterOrigin] = [:]
        for field in fields where !field.input.text.trimmingCharacters(in: .whitespaces).isEmpty {
            if let origin = field.origin { result[field.name] = origin }
        }
        return result
    }

    /// The pasted denial the session starts with: the one read off the paste, as long as the
    /// `error_message` field still holds the pasted text (an edit makes it the operator's).
    public var sessionDenial: PastedDenial? {
        guard let origin = fields.first(where: { $0.name == RunbookParameterName.errorMessage })?.origin,
              [.errorMessage, .decodedMessage].contains(origin.source) else { return nil }
        return pastedDenial
    }

    /// Edits the focused field (typing, readline keys); returns false for keys that do not
    /// edit. Which key moves between fields is the key table's (`KeyMap`), not the form's.
    public mutating func handle(_ key: Key) -> Bool {
        let before = fields[focus].input
        guard fields[focus].input.handle(key) else { return false }
        if fields[focus].input.text != before.text { fields[focus].origin = nil }
        return true
    }

    /// The next field (`by: 1`) or the previous one, round the end.
    public mutating func moveFocus(by step: Int) {
        guard !fields.isEmpty else { return }
        focus = ((focus + step) % fields.count + fields.count) % fields.count
    }
}
