import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

/// The conformance set (Fixtures/conformance, see its README): each file is an `evaluate` input,
/// AWS's documented answer and the documentation that says so.
@Suite struct ConformanceSetTests {
    static var directory: URL { AnalysisFixtures.directory.appendingPathComponent("conformance") }

    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    @Test func theSetIsThere() {
        #expect(Self.cases.count >= 9)
    }

    @Test(arguments: cases)
    func evaluatorFollowsAWS(file: String) throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8)
        let fixture = try JSONValue.parse(text)
        let input = try #require(fixture["input"])
        let expected = try #require(fixture["expect"])
        #expect(fixture["source"]?.stringValue?.isEmpty == false, "every case names its source")

        if let rejected = expected["rejected"] {
            do {
                _ = try EvaluationInput.parse(json: input)
                Issue.record("\(file): the input was accepted; AWS rejects it")
            } catch {
                #expect(error.path == rejected["path"]?.stringValue, "\(error)")
                if let words = rejected["messageContains"]?.stringValue {
                    #expect(error.message.contains(words), "\(error)")
                }
            }
            return
        }
        let parsed = try EvaluationInput.parse(json: input)
        let result = PolicyEvaluator().evaluate(parsed.request, against: parsed.policies)
        #expect(result.decision.rawValue == expected["decision"]?.stringValue, "\(file): \(result.deciding.summary)")
        if let type = expected["policyType"]?.stringValue {
            #expect(result.deciding.policyType?.rawValue == type, "\(file): \(result.deciding.summary)")
        }
        for words in expected["summaryContains"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            #expect(result.deciding.summary.contains(words), "\(file): \"\(words)\" not in: \(result.deciding.summary)")
        }
        for words in expected["notesContain"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            #expect(result.notes.contains { $0.contains(words) }, "\(file): \"\(words)\" not in notes: \(result.notes)")
        }
    }
}
