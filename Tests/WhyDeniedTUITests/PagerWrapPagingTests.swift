import Testing
import WhyDeniedTUI

/// With wrap on, a page holds fewer lines than it has rows. Paging moved by rows, so PgDn skipped
/// the lines between the last one shown and the next page (read at 80x24: "lines 1-15 of 51",
/// then "lines 21-…"), and j stopped where the last lines were still below the screen.
@Suite struct PagerWrapPagingTests {
    /// Ten lines of 25 characters: at width 10, three rows each (9 columns and the `»`).
    static func wrappedPager() -> Pager {
        var pager = Pager(title: "t", lines: (0..<10).map { "line \($0) " + String(repeating: "x", count: 18) })
        pager.perform(.wrap, pageHeight: 6, pageWidth: 10)
        return pager
    }

    @Test func pageDownShowsTheNextLineNotShownYet() {
        var pager = Self.wrappedPager()
        var shown: [Int] = []
        for _ in 0..<10 {
            // Six rows hold two whole lines.
            shown += [pager.top, pager.top + 1]
            pager.perform(.pageDown, pageHeight: 6, pageWidth: 10)
        }
        #expect(Set(shown).isSuperset(of: Set(0..<10)), "lines never shown: \(Set(0..<10).subtracting(shown).sorted())")
        #expect(pager.top == 8)
    }

    @Test func pageUpIsTheInverse() {
        var pager = Self.wrappedPager()
        pager.perform(.bottom, pageHeight: 6, pageWidth: 10)
        #expect(pager.top == 8)
        pager.perform(.pageUp, pageHeight: 6, pageWidth: 10)
        #expect(pager.top == 6)
        pager.perform(.halfUp, pageHeight: 6, pageWidth: 10)
        #expect(pager.top == 5)
    }

    @Test func lineDownReachesTheLastLine() {
        var pager = Self.wrappedPager()
        for _ in 0..<20 { pager.perform(.lineDown, pageHeight: 6, pageWidth: 10) }
        #expect(pager.top == 8, "the last two lines (8, 9) fill the page")
    }

    @Test func withoutWrapPagingIsByRowsAsBefore() {
        var pager = Pager(title: "t", lines: (0..<50).map { "line \($0)" })
        pager.perform(.pageDown, pageHeight: 20)
        #expect(pager.top == 20)
        pager.perform(.pageDown, pageHeight: 20)
        #expect(pager.top == 30)
        pager.perform(.pageUp, pageHeight: 20)
        #expect(pager.top == 10)
        pager.perform(.halfDown, pageHeight: 20)
        #expect(pager.top == 20)
    }
}
