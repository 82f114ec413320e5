import Foundation
import Testing
import WhyDeniedSandbox
import WhyDeniedSession
import WhyDeniedTestSupport

/// Issue 16, "an operator can walk the seed case and every sandbox scenario at 80x24 without a
/// cut line hiding what they need": each scenario's live recording (`ScenarioRecordings`, the
/// demo run `DemoCommandTests` checks) walked again in the real binary at 80x24 with
/// `guide --replay`, Enter at every gate and Esc at every change. Then the findings pager with
/// wrap on must hold, each in full, the verdict's reason and every command of the fix the
/// headless run printed. No `aws` runs here: the recording answers (which `guide --replay` is for).
/// The read-only walks of the event-bus and SCP scenarios (once live tmux tests of their own)
/// are checked here too: no change offered for an explicit deny, the deciding statement named.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct EveryScenarioAt80x24Tests {
    // No time limit: the recordings queue behind every live sandbox of the run (as DemoCommandTests do); the walk has its own.
    @Test(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"),
          arguments: SandboxScenario.all.map(\.name))
    func walkedAt80x24WithNothingCut(name: String) async throws {
        let recording = try await ScenarioRecordings.shared.recording(name)
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(name)-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: state) }
        var arguments = [WhyDeniedBinary.path, "guide", "--replay", recording.recordingPath,
                         "--endpoint-url", recording.endpointURL, "--sandbox"]
        if let profile = recording.sessionProfile { arguments += ["--profile", profile] }
        arguments += recording.parameters.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] }
        // No credentials and no aws on PATH: a command the recording does not answer fails, never reaches anything.
        let tmux = try TmuxSession(command: arguments, width: 80, height: 24,
                                   environment: ["LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "HOME": state.path,
                                                 "XDG_STATE_HOME": state.path, "AWS_PAGER": ""])
        defer { tmux.close() }
        let form = try await tmux.screenShowing("Parameters: type them", timeout: 30)
        #expect(form.contains("│ REPLAY │"), "the banner says nothing reaches AWS:\n\(form)")
        if recording.parameters["org_profile"] != nil {
            #expect(form.contains("Organization profile"), "the organization reads' profile is in the form:\n\(form)")
        }
        tmux.press("F2")
        let walk = try await Self.confirmEveryRead(in: tmux)
        let end = walk.lastScreen
        #expect(end.contains("Session complete."), "\(name) at 80x24:\n\(end)")
        #expect(!end.contains("no recorded run"), "\(name) asked for a command its live run did not:\n\(end)")
        if Self.noChangeOffered.contains(name) {
            #expect(walk.changeDialogs == 0, "\(name): no change fixes it here, yet one was offered")
        }
        if let named = Self.namedInRecommendation[name] {
            let sessions = state.appendingPathComponent("whydenied/sessions")
            let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
            let reading = try JournalReading(contentsOf: sessions.appendingPathComponent(id).appendingPathComponent("journal.jsonl"))
            let recommendation = try #require(RecordedSession(id: id, reading: reading).analyses.first { $0.name == "recommend_fix" })
            for text in named { #expect(recommendation.result.serialized().contains(text), "\(name): \(recommendation.result.serialized())") }
        }

        tmux.type("f")
        try await tmux.screenShowing("Findings and recommendation", timeout: 10)
        tmux.type("w")
        try await tmux.screenShowing("wrap", timeout: 10)
        let pager = try await Self.readWrappedPager(tmux)
        for needed in Self.neededLines(fromHeadless: recording.output) + (Self.shownInFindings[name] ?? []) {
            #expect(pager.contains { $0.contains(needed) }, "\(name): at 80x24 the findings never show in full:\n\(needed)\n\nwhat they show:\n\(pager.joined(separator: "\n"))")
        }
    }

    /// Scenarios no change may be offered for: an explicit deny (never lifted by a change), and a
    /// setting beside the policies (S3 Block Public Access: its owner's to change, shown).
    static let noChangeOffered: Set<String> = ["eventbridge-bus-policy", "scp-ou-deny", "s3-block-public-access"]

    /// What the recommendation (the journal's `recommend_fix`) must name: the deciding policy
    /// and statement, and where an SCP is attached (its id and OU path).
    static let namedInRecommendation: [String: [String]] = [
        "eventbridge-bus-policy": ["event bus policy of orders-bus", "DenyLegacyIngest"],
        "scp-ou-deny": ["DenyBucketDeletes (p-", "OU Workloads/Prod (ou-"],
    ]

    /// What the findings on screen must say: a setting decides, not a policy, so the
    /// recommendation says no statement is to be added instead of "the policies allow this call".
    static let shownInFindings: [String: [String]] = [
        "s3-block-public-access": ["Recommendation: No policy statement to add: S3 Block Public Access refuses", "RestrictPublicBuckets is on"],
    ]

    /// What the operator needs from the headless findings: the verdict's reason and each
    /// command of the fix (`aws …` lines of the recommendation).
    static func neededLines(fromHeadless output: String) -> [String] {
        guard let start = output.range(of: "── Findings ──") else { return [] }
        let findings = output[start.upperBound...]
        let end = findings.range(of: "\nSession ")?.lowerBound ?? findings.endIndex
        var needed: [String] = []
        // The fix's commands are the recommendation's; the findings before it also list the
        // commands a read-only run did not run (the TUI asked about each, in its dialog).
        var inRecommendation = false
        for line in findings[..<end].split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("── Recommendation") { inRecommendation = true }
            // What a read-only run refused (with the run's connection options): the TUI asked about each.
            if text.hasPrefix("Would have run") { inRecommendation = false }
            if text.hasPrefix("Why: ") || (inRecommendation && text.hasPrefix("aws ")) { needed.append(text) }
        }
        return Array(Set(needed)).sorted()
    }

    /// Enter at every read-only gate, Esc at every change, until the session completes or stops:
    /// the settled last screen and how many changes were offered.
    static func confirmEveryRead(in tmux: TmuxSession) async throws -> (lastScreen: String, changeDialogs: Int) {
        var changeDialogs = 0
        let deadline = Date().addingTimeInterval(180)
        var lastGate = ""
        var sameSince = Date()
        while Date() < deadline {
            let screen = try await tmux.currentScreen()
            if screen.contains("Session complete.") || screen.contains("Session stopped") {
                return (try await tmux.screenShowing(screen.contains("Session complete.") ? "Session complete." : "Session stopped"),
                        changeDialogs)
            }
            if screen.contains("This command CHANGES your account") {
                // A read-only walk: the change is declined (Esc), as an operator who only reads does.
                changeDialogs += 1
                tmux.press("Escape")
                _ = try await tmux.screenShowing("Declined: nothing was changed.", timeout: 20)
                continue
            }
            if screen.contains("Next command · read-only"), !screen.contains(" Running ") {
                // A new gate is a new screen (the last command's result line is on it): its first
                // command row alone is not enough, at 80 columns two reads can cut to the same
                // "$ aws organizations". The same screen 5 s after Enter: the key was lost, again.
                if screen != lastGate || Date().timeIntervalSince(sameSince) > 5 {
                    tmux.press("Enter")
                    lastGate = screen
                    sameSince = Date()
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TmuxSession.Failure(description: "the replayed session did not end within 180 s:\n\(tmux.capture())")
    }

    /// Every logical line of the pager, read page by page from the top with wrap on. The status
    /// line says where a page starts ("lines 12-15 of 51", "· line 12 from its row 21" when a
    /// line taller than the page is read row by row); a row that ends in the continuation marker
    /// `»` goes on in the next row. Each row is kept by its line and row, so pages may overlap.
    static func readWrappedPager(_ tmux: TmuxSession) async throws -> [String] {
        tmux.type("g")
        var rowsByLine: [Int: [Int: String]] = [:]
        var previousStatus: String?
        for _ in 0..<400 {
            // The page after the key: its status line differs from the last one read.
            let deadline = Date().addingTimeInterval(10)
            var rows: [String] = []
            var status: Int?
            repeat {
                try await Task.sleep(for: .milliseconds(50))
                rows = try await tmux.screenShowing(" of ").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                status = rows.lastIndex { $0.contains("lines ") && $0.contains(" of ") }
            } while Date() < deadline && (status == nil || rows[status!] == previousStatus)
            guard let status, rows[status] != previousStatus else {
                throw TmuxSession.Failure(description: "the pager did not move to its next page:\n\(rows.joined(separator: "\n"))")
            }
            previousStatus = rows[status]
            let words = rows[status].split(separator: " ").map(String.init)
            func after(_ word: String) -> String? {
                words.firstIndex(of: word).flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil }
            }
            guard status >= 2, let range = after("lines").map({ $0.split(separator: "-").compactMap { Int($0) } }),
                  range.count == 2, let total = after("of").flatMap({ Int($0) }) else {
                throw TmuxSession.Failure(description: "no page position in: \(rows[status])")
            }
            var line = range[0] - 1
            // "· line 12 from its row 21" (the pager's message may also end in the word "row").
            let rowWord = words.indices.first { $0 + 2 < words.count && words[$0] == "its" && words[$0 + 1] == "row" }
            var row = rowWord.flatMap { Int(words[$0 + 2]) }.map { $0 - 1 } ?? 0
            for text in rows[2..<status] {
                let continues = text.hasSuffix("»")
                rowsByLine[line, default: [:]][row] = continues ? String(text.dropLast()) : text
                if continues { row += 1 } else { line += 1; row = 0 }
            }
            if range[1] >= total, !(rows[status - 1].hasSuffix("»")) { break }
            tmux.press("Space")
        }
        return rowsByLine.keys.sorted().map { line in
            rowsByLine[line]!.keys.sorted().map { rowsByLine[line]![$0]! }.joined()
        }
    }
}
