import Foundation
import Testing
@testable import WhyDeniedEvidence

/// One real error text from Fixtures/error-messages/error-messages.jsonl with the fields a reader
/// of the text would extract by hand.
struct ErrorMessageFixture: Sendable, Decodable, CustomTestStringConvertible {
    struct Expected: Sendable, Decodable {
        var notAuthorization: String?
        var code: String?
        var operation: String?
        var principal: String?
        var principalKind: String?
        var accountId: String?
        var action: String?
        var resource: String?
        var decision: String?
        var policyType: String?
        var policyArn: String?
        var encodedAuthorizationMessage: String?
    }

    var id: String
    var text: String
    var source: String
    var note: String?
    var expect: Expected

    var testDescription: String { id }

    static func loadAll() throws -> [ErrorMessageFixture] {
        guard let url = Bundle.module.url(forResource: "error-messages", withExtension: "jsonl",
                                          subdirectory: "Fixtures/error-messages") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        return try lines.map { try JSONDecoder().decode(ErrorMessageFixture.self, from: Data($0.utf8)) }
    }

    static let all: [ErrorMessageFixture] = (try? loadAll()) ?? []
}

@Suite("Error message corpus")
struct ErrorMessageCorpusTests {
    @Test func corpusHasAtLeast120DistinctSourcedAuthorizationTexts() throws {
        let fixtures = try ErrorMessageFixture.loadAll()
        let denials = fixtures.filter { $0.expect.notAuthorization == nil }
        #expect(denials.count >= 120)
        #expect(Set(fixtures.map(\.text)).count == fixtures.count)
        #expect(Set(fixtures.map(\.id)).count == fixtures.count)
        #expect(fixtures.allSatisfy { !$0.source.isEmpty })
    }

    @Test(arguments: ErrorMessageFixture.all)
    func everyExpectedFieldIsExtracted(_ fixture: ErrorMessageFixture) throws {
        let expected = fixture.expect
        let outcome = AuthorizationErrorParser.parse(fixture.text)
        if let reason = expected.notAuthorization {
            guard case .failure(let why) = outcome else {
                Issue.record("\(fixture.id): parsed as an authorization error but is not one")
                return
            }
            switch (reason, why.reason) {
            case ("otherErrorCode", .otherErrorCode(let code)): #expect(code == expected.code, "\(fixture.id)")
            case ("noDenialWording", .noDenialWording): break
            default: Issue.record("\(fixture.id): expected \(reason), got \(why.reason)")
            }
            return
        }
        let denied = try outcome.get()
        #expect(denied.code == expected.code, "code")
        #expect(denied.operation == expected.operation, "operation")
        #expect(denied.principalText == expected.principal, "principal")
        #expect(denied.principalKind.rawValue == (expected.principalKind ?? "unknown"), "principalKind")
        #expect(denied.accountId == expected.accountId, "accountId")
        #expect(denied.action == expected.action, "action")
        #expect(denied.resource == expected.resource, "resource")
        #expect(denied.decision.rawValue == (expected.decision ?? "unknown"), "decision")
        #expect(denied.policyType?.rawValue == expected.policyType, "policyType")
        #expect(denied.policyArn == expected.policyArn, "policyArn")
        #expect(denied.encodedAuthorizationMessage == expected.encodedAuthorizationMessage, "encodedAuthorizationMessage")
        assertOriginsPointIntoText(denied)
    }

    /// Every field that was found says where it came from, and that place exists in the text.
    private func assertOriginsPointIntoText(_ denied: AuthorizationError) {
        let found: [(AuthorizationErrorField, Bool)] = [
            (.code, denied.code != nil), (.operation, denied.operation != nil), (.principal, denied.principalText != nil),
            (.accountId, denied.accountId != nil), (.action, denied.action != nil), (.resource, denied.resource != nil),
            (.decision, denied.decision != .unknown), (.policyType, denied.policyType != nil),
            (.policyArn, denied.policyArn != nil), (.encodedAuthorizationMessage, denied.encodedAuthorizationMessage != nil),
        ]
        let length = denied.normalizedText.utf8.count
        for (field, present) in found where present {
            guard let origin = denied.origins[field] else {
                Issue.record("no origin for \(field)")
                continue
            }
            #expect(origin.utf8Range.upperBound <= length && !origin.utf8Range.isEmpty, "\(field) range")
            #expect(!origin.snippet.isEmpty, "\(field) snippet")
        }
    }
}
