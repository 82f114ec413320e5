import Foundation
import Testing
@testable import WhyDeniedEvidence
import WhyDeniedTestSupport

/// Feeds random, mutated and huge inputs to the parser: it must never crash, must finish each
/// input within a generous bound (the scan is linear; the bound catches runaway backtracking,
/// it is not a performance claim), and whatever it returns must be internally consistent.
@Suite("Error message fuzzing")
struct ErrorMessageFuzzTests {
    /// Per input; far above the milliseconds a linear scan needs even in a debug build.
    static let perInputLimit = Duration.seconds(2)
    /// For the 10 MB inputs (one linear pre-scan over 10 MB, then a 64 KB window).
    static let hugeInputLimit = Duration.seconds(30)
    /// Each randomized loop stops after this much time, whatever its input count.
    static let loopBudget = Duration.seconds(8)

    private func parseChecked(_ text: String, limit: Duration = perInputLimit, label: @autoclosure () -> String) {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = AuthorizationErrorParser.parse(text)
        let elapsed = clock.now - start
        #expect(elapsed < limit, "\(label()) took \(elapsed)")
        if case .success(let denied) = outcome {
            let length = denied.normalizedText.utf8.count
            for (field, origin) in denied.origins {
                #expect(origin.utf8Range.lowerBound >= 0 && origin.utf8Range.upperBound <= length,
                        "\(label()): \(field) origin out of range")
            }
            #expect(denied.normalizedText.utf8.count <= AuthorizationErrorParser.windowBytes + 8 || text.utf8.count <= AuthorizationErrorParser.windowBytes)
        }
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        let clock = ContinuousClock()
        let deadline = clock.now + Self.loopBudget
        for index in 0..<400 where clock.now < deadline {
            let length = Int.random(in: 0...8192, using: &rng)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            parseChecked(String(decoding: bytes, as: UTF8.self), label: "random bytes #\(index)")
        }
    }

    /// Random sequences of the fragments the parser looks for, so the inputs reach deep paths.
    @Test func randomFragmentSoup() {
        let fragments = [
            "User: ", "arn:aws:iam::123456789012:user/", "arn:aws:sts::", "assumed-role/", " is not authorized to perform: ",
            "s3:GetObject", " on resource: ", "\"", "'", " because no ", "identity-based policy", " allows the ",
            " with an explicit deny in a ", "service control policy", ": arn:aws:organizations::", "\n", "\r\n", "\n  ",
            "\\\"", "\\n", "\\\\", "\u{1B}[31m", "\u{1B}]", "[", "]", "<", ">", "{", "}", "(", ")", ":", " ",
            "An error occurred (", "AccessDenied", ") when calling the ", " operation", "Access Denied",
            "Encoded authorization failure message: ", "AbCdEf-_123", "Error Code: ", "api error ", "│ ", "> ",
            "Access to the resource ", " is denied", "You are not authorized to perform this operation. ", "\u{0}", "é",
        ]
        var rng = SplitMix64(seed: 0x5EED_0002)
        let clock = ContinuousClock()
        let deadline = clock.now + Self.loopBudget
        for index in 0..<1_500 where clock.now < deadline {
            let count = Int.random(in: 0...120, using: &rng)
            let text = (0..<count).map { _ in fragments.randomElement(using: &rng)! }.joined()
            parseChecked(text, label: "fragment soup #\(index)")
        }
    }

    @Test func mutatedCorpusTexts() throws {
        let fixtures = try ErrorMessageFixture.loadAll()
        #expect(!fixtures.isEmpty)
        var rng = SplitMix64(seed: 0x5EED_0003)
        let clock = ContinuousClock()
        let deadline = clock.now + Self.loopBudget
        for fixture in fixtures where clock.now < deadline {
            for round in 0..<4 {
                let mutated = Self.mutate(Array(fixture.text.utf8), using: &rng)
                parseChecked(String(decoding: mutated, as: UTF8.self), label: "\(fixture.id) mutation \(round)")
            }
        }
    }

    @Test func tenMegabyteInputs() {
        let tenMB = 10 * 1024 * 1024
        var rng = SplitMix64(seed: 0x5EED_0004)
        let letters = Array("abcdefghijklmnopqrstuvwxyz  \n".utf8)
        // 64 KB of random words repeated: random enough for the scanner, cheap to build in a debug test.
        let chunk = String(decoding: (0..<65_536).map { _ in letters.randomElement(using: &rng)! }, as: UTF8.self)
        let noise = String(repeating: chunk, count: tenMB / 65_536)
        parseChecked(noise, limit: Self.hugeInputLimit, label: "10 MB of words")

        let anchors = String(repeating: "User: x is not authorized to perform: ", count: tenMB / 38)
        parseChecked(anchors, limit: Self.hugeInputLimit, label: "10 MB of repeated anchors")

        parseChecked(String(repeating: "[", count: tenMB), limit: Self.hugeInputLimit, label: "10 MB of [")
        parseChecked(String(repeating: "x] ", count: tenMB / 3), limit: Self.hugeInputLimit, label: "10 MB of x] ")
        parseChecked(String(repeating: "\\\"", count: tenMB / 2), limit: Self.hugeInputLimit, label: "10 MB of \\\"")
        parseChecked(String(repeating: "\n", count: tenMB), limit: Self.hugeInputLimit, label: "10 MB of newlines")

        let message = ErrorMessageParserTests.enhanced
        let withError = String(noise.prefix(tenMB - message.utf8.count - 1)) + "\n" + message
        let clock = ContinuousClock()
        let start = clock.now
        let denied = AuthorizationErrorParser.parseIfAuthorizationError(withError)
        #expect(clock.now - start < Self.hugeInputLimit)
        #expect(denied?.action == "iam:ListRoles")
        #expect(denied?.policyType == .serviceControlPolicy)
    }

    /// One of: delete a span, duplicate a span, insert random bytes, flip case, insert line
    /// breaks, insert ANSI codes, truncate.
    private static func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        guard !bytes.isEmpty else { return bytes }
        let a = Int.random(in: 0..<bytes.count, using: &rng)
        let b = min(bytes.count, a + Int.random(in: 0...64, using: &rng))
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: bytes.removeSubrange(a..<b)
        case 1: bytes.insert(contentsOf: bytes[a..<b], at: b)
        case 2: bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: a)
        case 3: for i in a..<b { bytes[i] = bytes[i] ^ 0x20 }
        case 4: for _ in 0..<Int.random(in: 1...8, using: &rng) { bytes.insert(0x0A, at: Int.random(in: 0...bytes.count, using: &rng)) }
        case 5: bytes.insert(contentsOf: Array("\u{1B}[1;31m".utf8), at: a)
        default: bytes.removeSubrange(a..<bytes.count)
        }
        return bytes
    }
}
