import Foundation
import Testing
import WhyDeniedEvidence
import WhyDeniedTestSupport
import WhyDeniedTUI

/// Issue 16 §2, "load a local event file": F3/Ctrl-O on the form opens a path prompt with Tab
/// completion; the file goes through the paste's reader into the paste's review, and accepted
/// fields fill the form as a paste's do. Failures say what and where and keep the typed path.
@Suite struct EventFilePromptTests {
    /// A temporary working directory with a real event file, a folder and a second file sharing a prefix.
    static func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-prompt-\(UUID().uuidString.prefix(8))")
        try EventFileFixtures.copy(EventFileFixtures.ec2DownloadUserData, into: url, as: "denied-ec2.json")
        try Data("not json\n".utf8).write(to: url.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: url.appendingPathComponent("trails/2024"), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: url.appendingPathComponent("trails/2024/a.json"))
        try Data("{}".utf8).write(to: url.appendingPathComponent("trails/2024/b.json"))
        return url
    }

    /// The UI with the performer's two file effects answered against `folder` (as the working directory).
    static func ui(_ folder: URL, size: TerminalSize = TerminalSize(width: 100, height: 30)) -> InMemoryScreen {
        let directory = folder.path
        return InMemoryScreen(state: Fixture.state(size)) { effect in
            switch effect {
            case .completePath(let typed): [EventFileEvidence.complete(typed, workingDirectory: directory, home: "/nonexistent")]
            case .loadEventFile(let typed): [EventFileEvidence.read(typed, workingDirectory: directory, home: nil, now: Fixture.now)]
            default: []
            }
        }
    }

    @Test func theKeyIsInTheTableFooterAndHelp() {
        var ui = InMemoryScreen(state: Fixture.state())
        #expect(KeyMap.footer(ui.state).contains("F3/Ctrl-O load file"))
        let help = KeyMap.help(ui.state)
        #expect(help.contains { $0.0 == "Parameters" && $0.1.contains { $0.0 == "F3/Ctrl-O" } })
        #expect(help.contains { $0.0 == "Load a local event file" && $0.1.map(\.0) == ["Enter", "Tab", "Esc"] })
        ui.press(.control("o"))
        #expect(ui.state.eventFile != nil)
        #expect(KeyMap.footer(ui.state).prefix(3) == ["Enter load", "Tab complete", "Esc back"])
        ui.press(.escape)
        ui.press(.function(3))
        #expect(ui.state.eventFile != nil)
    }

    @Test func tabCompletesAUniqueNameAndListsSeveral() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var ui = Self.ui(folder)
        ui.press(.function(3))
        ui.type("den")
        ui.press(.tab)
        #expect(ui.state.eventFile?.field.text == "denied-ec2.json")
        ui.press(.control("u"))
        ui.type("tr")
        ui.press(.tab)
        #expect(ui.state.eventFile?.field.text == "trails/")
        ui.press(.tab)
        #expect(ui.state.eventFile?.field.text == "trails/2024/")
        ui.press(.tab)
        // Several: the common beginning (none more here) and the names, on screen.
        #expect(ui.state.eventFile?.field.text == "trails/2024/")
        #expect(ui.state.eventFile?.candidates == ["a.json", "b.json"])
        #expect(ui.screen.text.contains("a.json  b.json"), "\(ui.screen.text)")
        ui.type("z")
        ui.press(.tab)
        #expect(ui.state.eventFile?.field.text == "trails/2024/z")
        #expect(ui.screen.text.contains("no file or folder starts with \"z\""), "\(ui.screen.text)")
    }

    @Test func aLoadedFileFillsTheFormThroughThePastesReview() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var ui = Self.ui(folder)
        ui.press(.control("o"))
        ui.type("denied-ec2.json")
        ui.press(.enter)
        #expect(ui.effects.contains(.loadEventFile("denied-ec2.json")))
        let dialog = try #require(ui.state.paste)
        #expect(dialog.stage == .reviewing)
        #expect(dialog.source == "denied-ec2.json")
        #expect(ui.screen.text.contains("Detected in the file denied-ec2.json"), "\(ui.screen.text)")
        #expect(ui.screen.text.contains("17 denied events found; using the latest"), "\(ui.screen.text)")
        ui.press(.character("a"))
        #expect(ui.state.paste == nil)
        #expect(ui.state.form.value(of: "principal") == "arn:aws:iam::321848314756:role/stratus-red-team-get-usr-data-role")
        #expect(ui.state.form.value(of: "action") == "ec2:DescribeInstanceAttribute")
        #expect(ui.state.status?.hasPrefix("Filled \(dialog.detected.count) fields from denied-ec2.json.") == true,
                "\(ui.state.status ?? "")")
        // The same fields, with the same origins, as pasting the file's text gives.
        let text = try String(contentsOf: EventFileFixtures.ec2DownloadUserData, encoding: .utf8)
        guard case .prefillReady(let pasted, _) = PastedEvidence.read(text, now: Fixture.now) else {
            Issue.record("the paste reader did not read the file's text")
            return
        }
        #expect(dialog.detected.map(\.value) == pasted.map(\.value))
        #expect(dialog.detected.map(\.origin) == pasted.map { "denied-ec2.json, " + $0.origin })
        // The form says where each value came from, naming the file.
        #expect(ui.screen.text.contains("✓ ok · from denied-ec2.json, event "), "\(ui.screen.text)")
        // A load never replaces the pasted text kept for F6.
        #expect(ui.state.pasteDraft == nil)
    }

    @Test func editingAgainFromTheReviewGoesBackToThePath() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var ui = Self.ui(folder)
        ui.press(.control("o"))
        ui.type("denied-ec2.json")
        ui.press(.enter, .character("e"))
        #expect(ui.state.paste == nil)
        #expect(ui.state.eventFile?.field.text == "denied-ec2.json")
    }

    @Test func aFailureSaysWhatAndWhereAndKeepsThePath() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var ui = Self.ui(folder, size: TerminalSize(width: 80, height: 24))
        ui.press(.control("o"))
        ui.type("notes.txt")
        ui.press(.enter)
        #expect(ui.state.eventFile?.field.text == "notes.txt")
        let error = try #require(ui.state.eventFile?.error)
        #expect(error.hasPrefix("notes.txt (\(folder.path)/notes.txt): not valid JSON"), "\(error)")
        #expect(error.contains("line 1, column 1"), "\(error)")
        // Wrapped, not cut: the line and column are on the 80-column screen.
        #expect(ui.screen.text.contains("line 1,"), "\(ui.screen.text)")

        ui.press(.control("u"))
        ui.type("missing.json")
        #expect(ui.state.eventFile?.error == nil)
        ui.press(.enter)
        #expect(ui.state.eventFile?.error?.hasSuffix("/missing.json): no such file") == true)
        #expect(ui.state.eventFile?.field.text == "missing.json")

        // Closed and opened again: the path is still there.
        ui.press(.escape, .function(3))
        #expect(ui.state.eventFile?.field.text == "missing.json")
        ui.press(.control("u"), .enter)
        #expect(ui.state.eventFile?.error?.hasPrefix("Type the path") == true)
    }

    @Test func aPathPastedIntoThePromptGoesIntoItsField() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(3))
        ui.paste("/var/log/trail.json\n")
        #expect(ui.state.eventFile?.field.text == "/var/log/trail.json")
        #expect(ui.state.paste == nil)
    }

    @Test func aStaleCompletionIsIgnored() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(3))
        ui.type("ab")
        ui.press(.tab)
        ui.type("c")
        ui.send(.pathCompleted(typed: "ab", PathCompletion(text: "abzzz")))
        #expect(ui.state.eventFile?.field.text == "abc")
        #expect(ui.state.eventFile?.completing == nil)
    }

    /// Tab's answer comes back from the performer; an Enter pressed before it arrives loads the
    /// completed path, as a shell completes before it runs the line.
    @Test func enterRightAfterTabLoadsTheCompletedPath() {
        var ui = InMemoryScreen(state: Fixture.state())
        ui.press(.function(3))
        ui.type("den")
        ui.press(.tab, .enter)
        #expect(ui.effects == [.completePath("den")])
        #expect(ui.state.eventFile?.loadWhenCompleted == true)
        ui.send(.pathCompleted(typed: "den", PathCompletion(text: "denied-ec2.json")))
        #expect(ui.effects == [.completePath("den"), .loadEventFile("denied-ec2.json")])
        #expect(ui.state.eventFile?.stage == .reading)
    }
}

/// Path completion against a real temporary folder.
@Suite struct PathCompletionTests {
    func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-complete-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("Downloads/trails"), withIntermediateDirectories: true)
        try manager.createDirectory(at: folder.appendingPathComponent("Documents"), withIntermediateDirectories: true)
        for name in ["Downloads/trail-2024-05-01.json.gz", "Downloads/trail-2024-05-02.json.gz", "Downloads/event.json", ".hidden.json"] {
            try Data("{}".utf8).write(to: folder.appendingPathComponent(name))
        }
        try body(folder.path)
    }

    @Test func aUniqueMatchFillsAFolderWithItsSlash() throws {
        try withFolder { folder in
            #expect(PathCompletion.complete("Dow", workingDirectory: folder, home: nil) == PathCompletion(text: "Downloads/"))
            #expect(PathCompletion.complete("Downloads/ev", workingDirectory: folder, home: nil)
                == PathCompletion(text: "Downloads/event.json"))
            #expect(PathCompletion.complete(folder + "/Downloads/ev", workingDirectory: "/", home: nil)
                == PathCompletion(text: folder + "/Downloads/event.json"))
        }
    }

    @Test func severalMatchesFillTheirCommonBeginningAndAreListed() throws {
        try withFolder { folder in
            let completion = PathCompletion.complete("Downloads/tr", workingDirectory: folder, home: nil)
            #expect(completion.text == "Downloads/trail")
            #expect(completion.candidates == ["trail-2024-05-01.json.gz", "trail-2024-05-02.json.gz", "trails/"])
            let documents = PathCompletion.complete("Do", workingDirectory: folder, home: nil)
            #expect(documents.text == "Do")
            #expect(documents.candidates == ["Documents/", "Downloads/"])
        }
    }

    @Test func tildeIsTheHomeFolder() throws {
        try withFolder { folder in
            #expect(PathCompletion.complete("~", workingDirectory: "/", home: folder) == PathCompletion(text: "~/"))
            #expect(PathCompletion.complete("~/Downloads/e", workingDirectory: "/", home: folder)
                == PathCompletion(text: "~/Downloads/event.json"))
        }
    }

    @Test func hiddenNamesOnlyWhenTheTypedPartStartsWithADot() throws {
        try withFolder { folder in
            #expect(PathCompletion.complete("", workingDirectory: folder, home: nil).candidates == ["Documents/", "Downloads/"])
            #expect(PathCompletion.complete(".h", workingDirectory: folder, home: nil) == PathCompletion(text: ".hidden.json"))
        }
    }

    @Test func noMatchAndAnUnreadableFolderSaySo() throws {
        try withFolder { folder in
            let none = PathCompletion.complete("Downloads/x", workingDirectory: folder, home: nil)
            #expect(none.text == "Downloads/x")
            #expect(none.problem == "no file or folder starts with \"x\" in \(folder)/Downloads")
            let missing = PathCompletion.complete("nowhere/x", workingDirectory: folder, home: nil)
            #expect(missing.problem == "cannot list \(folder)/nowhere")
        }
    }
}
