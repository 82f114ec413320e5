import Foundation
import Testing
import WhyDeniedTestSupport

/// `whydenied --version`: the version and the commit the binary was built from, found without a
/// network and without a generated file: beside an installed binary its COMMIT file, in a
/// checkout the HEAD the reflog shows at the binary's build time.
@Suite(.serialized, .enabled(if: WhyDeniedBinary.exists, "the binary is not built"))
struct VersionTests {
    static var versionLine: Regex<(Substring, Substring)> { #/^0\.1\.0 \(commit ([0-9a-f]{40})\)$/# }

    /// A throwaway git repository with the built binary copied to where a build puts it.
    struct Checkout {
        let root: URL
        let binary: URL

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-version-\(UUID().uuidString.prefix(8))")
            binary = root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug/whydenied")
            try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: WhyDeniedBinary.path, toPath: binary.path)
            try git(["init", "-q", "-b", "main"])
        }

        /// A commit whose reflog entry carries `date` (git writes the committer date there).
        @discardableResult
        func commit(_ message: String, at date: String) throws -> String {
            try Data(message.utf8).write(to: root.appendingPathComponent("file.txt"))
            try git(["add", "file.txt"])
            try git(["commit", "-q", "-m", message], date: date)
            return try git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func builtAt(_ date: String) throws {
            try run("/usr/bin/touch", ["-d", date, binary.path])
        }

        func version(_ binary: URL? = nil) throws -> String {
            try run((binary ?? self.binary).path, ["--version"]).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @discardableResult
        func git(_ arguments: [String], date: String? = nil, in directory: URL? = nil) throws -> String {
            var environment = ["GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"]
            if let date { environment["GIT_COMMITTER_DATE"] = date; environment["GIT_AUTHOR_DATE"] = date }
            return try run("/usr/bin/env", ["git", "-C", (directory ?? root).path] + arguments, environment: environment)
        }

        @discardableResult
        func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
            let run = try TestProcess.run(executable, arguments, environment: environment)
            guard run.status == 0 else {
                throw TmuxSession.Failure(description: "\(executable) \(arguments) exited \(run.status): \(run.stderr)")
            }
            return run.stdout
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func theBuiltBinaryNamesACommitOfItsCheckout() async throws {
        let run = try await WhyDeniedBinary.running(["--version"])
        #expect(run.status == 0)
        let line = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let match = try #require(line.wholeMatch(of: Self.versionLine), "not a version line: \(line)")
        // The commit is one this checkout's HEAD has pointed at.
        let root = URL(fileURLWithPath: WhyDeniedBinary.path).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let checkout = try await TestProcess.running("/usr/bin/env", ["git", "-C", root.path, "log", "-g", "--format=%H", "HEAD"]).stdout
        #expect(checkout.contains(String(match.1)))
    }

    @Test func aCommitAfterTheBuildIsNotClaimed() async throws {
        try await OffPool.run {
            let checkout = try Checkout()
            defer { checkout.remove() }
            let built = try checkout.commit("first", at: "2020-01-01T00:00:00Z")
            try checkout.builtAt("2021-01-01T00:00:00Z")
            let later = try checkout.commit("second", at: "2022-01-01T00:00:00Z")
            #expect(try checkout.version() == "0.1.0 (commit \(built))")
            // Rebuilt after the second commit: that one.
            try checkout.builtAt("2023-01-01T00:00:00Z")
            #expect(try checkout.version() == "0.1.0 (commit \(later))")
        }
    }

    @Test func aWorktreeNamesItsOwnHead() async throws {
        try await OffPool.run {
            let checkout = try Checkout()
            defer { checkout.remove() }
            let main = try checkout.commit("first", at: "2020-01-01T00:00:00Z")
            let tree = checkout.root.appendingPathComponent("tree")
            try checkout.git(["worktree", "add", "-q", "-b", "topic", tree.path], date: "2020-02-01T00:00:00Z")
            try checkout.git(["commit", "-q", "--allow-empty", "-m", "topic"], date: "2020-03-01T00:00:00Z", in: tree)
            let topic = try checkout.git(["rev-parse", "HEAD"], in: tree).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(topic != main)
            let binary = tree.appendingPathComponent(".build/debug/whydenied")
            try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: checkout.binary, to: binary)
            try checkout.run("/usr/bin/touch", ["-d", "2021-01-01T00:00:00Z", binary.path])
            #expect(try checkout.version(binary) == "0.1.0 (commit \(topic))")
        }
    }

    @Test func anInstalledBinaryReadsItsCommitFile() async throws {
        try await OffPool.run {
            let checkout = try Checkout()
            defer { checkout.remove() }
            try checkout.commit("first", at: "2020-01-01T00:00:00Z")
            let installed = checkout.binary.deletingLastPathComponent().appendingPathComponent("COMMIT")
            try Data("0123456789abcdef0123456789abcdef01234567+changes\n".utf8).write(to: installed)
            #expect(try checkout.version() == "0.1.0 (commit 0123456789abcdef0123456789abcdef01234567+changes)")
        }
    }

    @Test func outsideAnyCheckoutTheCommitIsUnknown() async throws {
        try await OffPool.run {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-loose-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let binary = folder.appendingPathComponent("whydenied")
            try FileManager.default.copyItem(atPath: WhyDeniedBinary.path, toPath: binary.path)
            #expect(try TestProcess.run(binary.path, ["--version"]).stdout == "0.1.0 (commit unknown)\n")
        }
    }
}
