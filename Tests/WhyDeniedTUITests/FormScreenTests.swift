import Foundation
import Testing
import WhyDeniedSession
import WhyDeniedTUI

@Suite struct FormScreenTests {
    @Test func initialFormShowsEveryParameterWithEnvironmentDefaults() {
        let ui = InMemoryScreen(state: Fixture.state())
        expectScreen(ui.screen, "form-initial", """
             whydenied │ READ-ONLY │ SANDBOX │ account ? │ us-east-1 │ profile sandbox │ as ?

             Parameters: type them, or F6 to paste an error message or CloudTrail event.

            ▸ Principal (user/role name or ARN) *
                ! required
              Time frame *                         1 hour ago
                ✓ 2026-11-18T10:06:40Z → 2026-11-18T11:06:40Z UTC · default
              Region *                             us-east-1
                ✓ ok · from AWS_REGION
              Resource (ARN or name)
                · optional
              Account id
                · optional
              Action (service:Action)
                · optional
              Error message
                · optional
              AWS profile                          sandbox
                ✓ ok · from AWS_PROFILE
              Organization profile (SCP reads)
                · optional
              Resource account profile
                · optional · needed only when the resource is in another account





             F2/Ctrl-S start · F6/Ctrl-V paste · F3/Ctrl-O load file · F1/Ctrl-G help · F10/Ctrl-Q quit
            """)
        #expect(ui.screen.cursor?.row == 4)
    }

    @Test func typedValuesAreValidatedAsTyped() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.type("DataAnalystRole")
        ui.press(.tab, .control("u"))
        ui.type("2023-06-15T14:00:00Z,2023-06-15T16:00:00Z")
        ui.press(.tab, .control("u"))
        ui.type("us-east-99x")
        ui.press(.tab)
        ui.type("arn:aws:s3::bad")
        ui.press(.tab)
        ui.type("12345")
        ui.press(.tab)
        ui.type("s3:GetObject")
        expectScreen(ui.screen, "form-typed", """
             whydenied │ READ-ONLY │ SANDBOX │ 12345 │ us-east-99x │ profile sandbox │ as ?

             Parameters: type them, or F6 to paste an error message or CloudTrail event.

              Principal (user/role name or ARN) *  DataAnalystRole
                ✓ name
              Time frame *                         2023-06-15T14:00:00Z,2023-06-15T16:00:00Z
                ✓ 2023-06-15T14:00:00Z → 2023-06-15T16:00:00Z UTC
              Region *                             us-east-99x
                ✗ not a region name like us-east-1
              Resource (ARN or name)               arn:aws:s3::bad
                ✗ an ARN has 6 parts: arn:partition:service:region:account:resource
              Account id                           12345
                ✗ 12 digits expected, got 5
            ▸ Action (service:Action)              s3:GetObject
                ✓ ok
              Error message
                · optional
              AWS profile                          sandbox
                ✓ ok · from AWS_PROFILE
              Organization profile (SCP reads)
                · optional
              Resource account profile
                · optional · needed only when the resource is in another account





             F2/Ctrl-S start · F6/Ctrl-V paste · F3/Ctrl-O load file · F1/Ctrl-G help · F10/Ctrl-Q quit
            """)
    }

    @Test func confirmIsRefusedUntilRequiredFieldsAreValid() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(2))
        #expect(ui.effects.isEmpty)
        #expect(ui.state.status == "Not started: principal required")
        ui.type("DataAnalystRole")
        ui.press(.function(2))
        #expect(ui.effects == [.startSession(parameters: [
            "principal": "DataAnalystRole", "time_frame": "1 hour ago", "region": "us-east-1", "profile": "sandbox",
        ], origins: ["time_frame": ParameterOrigin(source: .defaultValue), "region": ParameterOrigin(source: .environment, detail: "AWS_REGION"),
                     "profile": ParameterOrigin(source: .environment, detail: "AWS_PROFILE")], denial: nil)])
    }

    @Test func pasteDialogTakesMultiLineTextAndSubmitsWithCtrlD() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(6))
        ui.type("line one é\n日本語 line two\n")
        ui.type(Fixture.seedError)
        expectScreen(ui.screen, "paste-editing", """
             whydenied │ READ-ONLY │ SANDBOX │ account ? │ us-east-1 │ profile sandbox │ as ?
             ┌─ Paste an error message or CloudTrail event ───────────────────────────────────────────────────┐
             │ line one é                                                                                     │
             │ 日本語 line two                                                                                │
             │ An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::1234 │
             │ 56789012:assumed-role/DataAnalystRole/analyst-session is not authorized to perform: s3:GetObje │
             │ ct on resource: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv" with an explicit deny in a │
             │  resource-based policy                                                                         │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │ 3 lines, 328 characters                                                                        │
             └────────────────────────────────────────────────────────────────────────────────────────────────┘


             Enter newline · Ctrl-D/F2 read it · Esc back to form · F1/Ctrl-G help · F10/Ctrl-Q quit
            """)
        ui.press(.control("d"))
        #expect(ui.effects == [.parsePastedText("line one é\n日本語 line two\n" + Fixture.seedError)])
        #expect(ui.state.paste?.stage == .parsing)
    }

    @Test func detectedFieldsShowTheirOriginAndCanBeAcceptedOneByOne() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(6))
        ui.type(Fixture.seedError)
        ui.press(.function(2))
        ui.send(.prefillReady(Fixture.seedPrefill))
        ui.press(.down, .character(" "))
        expectScreen(ui.screen, "paste-review", """
             whydenied │ READ-ONLY │ SANDBOX │ account ? │ us-east-1 │ profile sandbox │ as ?
             ┌─ Paste an error message or CloudTrail event ───────────────────────────────────────────────────┐
             │ Detected in the pasted text (Space toggles one, a accepts all, Enter accepts the checked):     │
             │                                                                                                │
             │ [x] principal     arn:aws:sts::123456789012:assumed-ro… ← error message: "User: arn:…"         │
             │ [ ] action        s3:GetObject                          ← error message: "perform: s3:GetObje… │
             │ [x] resource      arn:aws:s3:::analytics-data-bucket/r… ← error message: "on resource: …"      │
             │ [x] account_id    123456789012                          ← principal ARN                        │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             └────────────────────────────────────────────────────────────────────────────────────────────────┘


             ↓/j choose · Space toggle · a accept all · Enter accept checked · e/Esc edit text · ?/F1 help
            """)
        ui.press(.enter)
        #expect(ui.state.paste == nil)
        #expect(ui.state.form.value(of: "action") == "")
        #expect(ui.state.form.value(of: "account_id") == "123456789012")
        #expect(ui.state.form.fields.first { $0.name == "principal" }?.origin?.formText == "pasted: error message: \"User: arn:…\"")
    }

    @Test func acceptAllFillsTheFormAndShowsWhereEachValueCameFrom() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(6))
        ui.type(Fixture.seedError)
        ui.press(.function(2))
        ui.send(.prefillReady(Fixture.seedPrefill))
        ui.press(.character("a"))
        expectScreen(ui.screen, "form-prefilled", """
             whydenied │ READ-ONLY │ SANDBOX │ 123456789012 │ us-east-1 │ profile sandbox │ as ?

             Parameters: type them, or F6 to paste an error message or CloudTrail event.

            ▸ Principal (user/role name or ARN) *  ::123456789012:assumed-role/DataAnalystRole/analyst-session
                ✓ assumed-role · pasted: error message: "User: arn:…"
              Time frame *                         1 hour ago
                ✓ 2026-11-18T10:06:40Z → 2026-11-18T11:06:40Z UTC · default
              Region *                             us-east-1
                ✓ ok · from AWS_REGION
              Resource (ARN or name)               arn:aws:s3:::analytics-data-bucket/reports/q3.csv
                ✓ ok · pasted: error message: "on resource: …"
              Account id                           123456789012
                ✓ ok · pasted: principal ARN
              Action (service:Action)              s3:GetObject
                ✓ ok · pasted: error message: "perform: s3:GetObject"
              Error message
                · optional
              AWS profile                          sandbox
                ✓ ok · from AWS_PROFILE
              Organization profile (SCP reads)
                · optional
              Resource account profile
                · optional · needed only when the resource is in another account




             Filled 4 fields from the pasted text. Check them, then F2 starts.
             F2/Ctrl-S start · F6/Ctrl-V paste · F3/Ctrl-O load file · F1/Ctrl-G help · F10/Ctrl-Q quit
            """)
    }

    @Test func aFailedParseKeepsThePastedText() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(6))
        ui.type("{\"eventVersion\": \"1.08\",\n\"userIdentity\": ")
        ui.press(.function(2))
        ui.send(.prefillFailed("CloudTrail event: line 2, column 16: unexpected end of input"))
        #expect(ui.state.paste?.area.text == "{\"eventVersion\": \"1.08\",\n\"userIdentity\": ")
        #expect(ui.state.paste?.stage == .editing)
        // Closing and reopening keeps it too.
        ui.press(.escape, .function(6))
        #expect(ui.state.paste?.area.text == "{\"eventVersion\": \"1.08\",\n\"userIdentity\": ")
        ui.press(.function(2))
        ui.send(.prefillFailed("CloudTrail event: line 2, column 16: unexpected end of input"))
        expectScreen(ui.screen, "paste-error", """
             whydenied │ READ-ONLY │ SANDBOX │ account ? │ us-east-1 │ profile sandbox │ as ?
             ┌─ Paste an error message or CloudTrail event ───────────────────────────────────────────────────┐
             │ {"eventVersion": "1.08",                                                                       │
             │ "userIdentity":                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │                                                                                                │
             │ ✗ CloudTrail event: line 2, column 16: unexpected end of input                                 │
             │ 2 lines, 41 characters                                                                         │
             └────────────────────────────────────────────────────────────────────────────────────────────────┘


             Enter newline · Ctrl-D/F2 read it · Esc back to form · F1/Ctrl-G help · F10/Ctrl-Q quit
            """)
    }

    @Test func nothingDetectedSaysSoAndKeepsEditing() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(6))
        ui.type("hello")
        ui.press(.function(2))
        ui.send(.prefillReady([]))
        #expect(ui.state.paste?.stage == .editing)
        #expect(ui.state.paste?.error?.hasPrefix("Nothing recognisable") == true)
    }
}

@Suite struct ParameterCheckTests {
    let now = Fixture.now

    @Test(arguments: [
        ("principal", "DataAnalystRole", ParameterCheck.valid(note: "name")),
        ("principal", "arn:aws:iam::123456789012:role/DataAnalystRole", .valid(note: "role")),
        ("principal", "arn:aws:sts::123456789012:assumed-role/R/s", .valid(note: "assumed-role")),
        ("principal", "arn:aws:s3:::bucket", .invalid(FieldProblem("principal ARN must be an iam or sts ARN"))),
        ("principal", "bad name!", .invalid(FieldProblem("IAM names use letters, digits and +=,.@_-"))),
        ("account_id", "123456789012", .valid(note: nil)),
        ("account_id", "12345678901", .invalid(FieldProblem("12 digits expected, got 11"))),
        ("account_id", "12345678901a", .invalid(FieldProblem("digits only"))),
        ("region", "eu-west-1", .valid(note: nil)),
        ("region", "us-gov-west-1", .valid(note: nil)),
        ("region", "Europe", .invalid(FieldProblem("not a region name like us-east-1"))),
        ("resource", "arn:aws:s3:::analytics-data-bucket", .valid(note: nil)),
        ("resource", "arn:aws:kms:us-east-1:1234:key/x", .invalid(FieldProblem("account in ARN must be 12 digits"))),
        ("action", "s3:GetObject", .valid(note: nil)),
        ("action", "GetObject", .invalid(FieldProblem("expected service:Action, e.g. s3:GetObject"))),
        ("time_frame", "", .empty),
    ])
    func check(name: String, value: String, expected: ParameterCheck) {
        #expect(ParameterCheck.check(name, value, now: now) == expected)
    }

    @Test func timeFramesResolveToUTCRanges() throws {
        let range = try TimeFrameText.resolve("2 hours ago", now: now).get()
        #expect(range.upperBound == now)
        #expect(range.lowerBound == now.addingTimeInterval(-7200))
        #expect(try TimeFrameText.resolve("last 30 minutes", now: now).get().lowerBound == now.addingTimeInterval(-1800))
        #expect(try TimeFrameText.resolve("1d", now: now).get().lowerBound == now.addingTimeInterval(-86_400))
        let explicit = try TimeFrameText.resolve("2023-06-15T14:00:00Z, 2023-06-15T16:00:00Z", now: now).get()
        #expect(TimeFrameText.format(explicit.lowerBound) == "2023-06-15T14:00:00Z")
        #expect(TimeFrameText.format(explicit.upperBound) == "2023-06-15T16:00:00Z")
        #expect(ParameterCheck.check("time_frame", "2023-06-15T16:00:00Z,2023-06-15T14:00:00Z", now: now)
            == .invalid(FieldProblem("start must be before end")))
        #expect(ParameterCheck.check("time_frame", "yesterday-ish", now: now)
            == .invalid(FieldProblem("use e.g. \"1 hour ago\", \"2d\" or START,END in ISO 8601")))
    }

    @Test func regionComesFromTheEnvironment() {
        let form = ParameterForm.standard(environment: ["AWS_DEFAULT_REGION": "eu-central-1"])
        #expect(form.value(of: "region") == "eu-central-1")
        #expect(form.fields.first { $0.name == "region" }?.origin?.formText == "from AWS_DEFAULT_REGION")
        let preferred = ParameterForm.standard(environment: ["AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "eu-central-1"])
        #expect(preferred.value(of: "region") == "us-west-2")
    }
}
