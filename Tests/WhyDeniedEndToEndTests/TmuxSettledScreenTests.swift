import Foundation
import Testing
import WhyDeniedTestSupport

/// A screen written in two chunks is returned whole: CI once caught the guided form between
/// ncurses' writes (the first field drawn, blanks below) and failed a test looking for a later
/// field. The pane here writes its second chunk 25 ms after the first, five times over.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (Scripts/setup.sh installs it)"))
struct TmuxSettledScreenTests {
    @Test func aScreenWrittenInTwoChunksIsReturnedWhole() async throws {
        for round in 1...5 {
            let tmux = try TmuxSession(command: ["sh", "-c", "printf 'first chunk\\n'; sleep 0.025; printf 'second chunk\\n'; sleep 30"],
                                       width: 40, height: 6)
            defer { tmux.close() }
            let screen = try await tmux.screenShowing("first chunk")
            #expect(screen.contains("second chunk"), "round \(round):\n\(screen)")
        }
    }
}
