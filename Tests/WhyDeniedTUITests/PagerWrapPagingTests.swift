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
        #expect([pager.top, pager.topRow] == [6, 2], "j is one row, as in less")
        for _ in 0..<20 { pager.perform(.lineDown, pageHeight: 6, pageWidth: 10) }
        #expect([pager.top, pager.topRow] == [8, 0], "the last two lines (8, 9) fill the page")
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

    /// A line taller than the page (a long explanation at 80x24) is read row by row: PgDn moved
    /// past it to the next line, and its rows below the first page were never on screen.
    @Test func aLineTallerThanThePageIsReadRowByRow() {
        // At width 10: one row, then 12 rows (9 columns each and the `»`), then one row.
        var pager = Pager(title: "t", lines: ["first", String(repeating: "y", count: 108), "last"])
        pager.perform(.wrap, pageHeight: 6, pageWidth: 10)
        var positions = [[pager.top, pager.topRow]]
        for _ in 0..<3 {
            pager.perform(.pageDown, pageHeight: 6, pageWidth: 10)
            positions.append([pager.top, pager.topRow])
        }
        #expect(positions == [[0, 0], [1, 5], [1, 7], [1, 7]], "the long line's rows 0-4, 5-10, then its last rows and the last line")
        pager.perform(.pageUp, pageHeight: 6, pageWidth: 10)
        #expect([pager.top, pager.topRow] == [1, 1])
        pager.perform(.top, pageHeight: 6, pageWidth: 10)
        #expect([pager.top, pager.topRow] == [0, 0])
        pager.perform(.bottom, pageHeight: 6, pageWidth: 10)
        #expect([pager.top, pager.topRow] == [1, 7])

        var screen = ScreenBuffer(size: TerminalSize(width: 10, height: 8))
        pager.draw(into: &screen, area: Rect(row: 0, column: 0, width: 10, height: 8))
        #expect(screen.rowText(6).hasPrefix("last"), "\((0..<8).map { screen.rowText($0) })")
        #expect(screen.rowText(1) == "yyyyyyyyy»", "the long line from its 8th row")
    }
}
