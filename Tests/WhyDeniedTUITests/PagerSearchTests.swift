import Testing
import WhyDeniedTUI

/// Pager search: case-insensitive for ASCII queries (matched on bytes), exact-case folding
/// through Foundation for others, over a 20,000-line text.
@Suite struct PagerSearchTests {
    let text = (1...20_000).map { "line \($0) · résumé 日本語 · " + ($0 % 1000 == 0 ? "AccessDenied" : "ok") }
        .joined(separator: "\n")

    @Test func asciiQueriesIgnoreCase() {
        var pager = Pager(title: "t", text: text)
        pager.search("accessdenied")
        #expect(pager.matches.count == 20)
        #expect(pager.matches.first == 999)
        pager.search("LINE 19999 ")
        #expect(pager.matches == [19_998])
        pager.search("nothing like this")
        #expect(pager.matches.isEmpty)
        #expect(pager.message == "no match for \"nothing like this\"")
    }

    @Test func nonASCIIQueriesFindAccentsAndCJK() {
        var pager = Pager(title: "t", text: "a\nRÉSUMÉ\n日本語\nb")
        pager.search("résumé")
        #expect(pager.matches == [1])
        pager.search("日本")
        #expect(pager.matches == [2])
    }
}
