import Foundation
import Testing
@testable import WhyDeniedEvidence

@Suite("Time frames")
struct TimeFrameTests {
    let now = Timestamp.parseISO("2023-06-15T14:30:00Z")!

    func frame(_ text: String) throws -> TimeFrame { try TimeFrame.parse(text, now: now) }

    @Test(arguments: [
        ("2023-06-15T14:00:00Z,2023-06-15T16:00:00Z", "2023-06-15T14:00:00Z", "2023-06-15T16:00:00Z"),
        ("2023-06-15T14:00:00Z .. 2023-06-15T16:00:00Z", "2023-06-15T14:00:00Z", "2023-06-15T16:00:00Z"),
        ("2023-06-15T07:00:00-07:00 to 2023-06-15T09:00:00-07:00", "2023-06-15T14:00:00Z", "2023-06-15T16:00:00Z"),
        ("1686837600,1686844800", "2023-06-15T14:00:00Z", "2023-06-15T16:00:00Z"),
        ("1686837600000,1686844800000", "2023-06-15T14:00:00Z", "2023-06-15T16:00:00Z"),
        ("a day ago", "2023-06-14T14:30:00Z", "2023-06-15T14:30:00Z"),
        ("1 hour ago", "2023-06-15T13:30:00Z", "2023-06-15T14:30:00Z"),
        ("3 days ago", "2023-06-12T14:30:00Z", "2023-06-15T14:30:00Z"),
        ("last 2h", "2023-06-15T12:30:00Z", "2023-06-15T14:30:00Z"),
        ("Last 2 Hours", "2023-06-15T12:30:00Z", "2023-06-15T14:30:00Z"),
        ("past 30 minutes", "2023-06-15T14:00:00Z", "2023-06-15T14:30:00Z"),
        ("last hour", "2023-06-15T13:30:00Z", "2023-06-15T14:30:00Z"),
        ("30m", "2023-06-15T14:00:00Z", "2023-06-15T14:30:00Z"),
        ("1w", "2023-06-08T14:30:00Z", "2023-06-15T14:30:00Z"),
        ("yesterday", "2023-06-14T00:00:00Z", "2023-06-15T00:00:00Z"),
        ("today", "2023-06-15T00:00:00Z", "2023-06-15T14:30:00Z"),
        ("1686839400", "2023-06-15T14:15:00Z", "2023-06-15T14:45:00Z"),
        ("1686839400000", "2023-06-15T14:15:00Z", "2023-06-15T14:45:00Z"),
        ("2023-06-15T14:30:00Z", "2023-06-15T14:15:00Z", "2023-06-15T14:45:00Z"),
    ])
    func resolvesToAnExplicitUTCRange(text: String, start: String, end: String) throws {
        let frame = try frame(text)
        #expect(frame.startText == start)
        #expect(frame.endText == end)
        #expect(frame.canonical == "\(start),\(end)")
        #expect(frame.display.hasPrefix("\(start) → \(end) ("))
        #expect(!frame.exceedsLookupWindow)
    }

    @Test func canonicalFormReadsBack() throws {
        let original = try frame("last 2h")
        #expect(try frame(original.canonical).start == original.start)
        #expect(original.meaning == "last 2 hours")
    }

    @Test func rangesPastTheLookupWindowAreFlagged() throws {
        let old = try frame("2023-01-01T00:00:00Z,2023-01-02T00:00:00Z")
        #expect(old.exceedsLookupWindow)
        #expect(old.warnings.first?.contains("90 days") == true)
        #expect(try frame("91 days ago").exceedsLookupWindow)
        #expect(try !frame("89 days ago").exceedsLookupWindow)
        #expect(try frame("2023-06-15T14:00:00Z,2023-06-16T00:00:00Z").warnings.contains { $0.contains("future") })
    }

    @Test(arguments: [
        ("", "empty"), ("soon", "neither"), ("last 2 fortnights", "not a unit"), ("0m", "more than zero"),
        ("2023-06-15T16:00:00Z,2023-06-15T14:00:00Z", "not before"), ("2023-13-01T00:00:00Z,2023-06-15T14:00:00Z", "start"),
        ("2023-06-15T14:00:00Z,tomorrowish", "end"), ("1,2,3", "neither"), ("20 years ago", "ten years"),
        ("last xyz hours", "not a number"),
    ])
    func nonsenseIsAClearError(text: String, reasonFragment: String) {
        #expect {
            _ = try TimeFrame.parse(text, now: now)
        } throws: { error in
            let description = "\(error)"
            return description.contains(reasonFragment) && description.contains("Accepted:")
        }
    }

    @Test func aroundAnInstant() {
        let frame = TimeFrame.around(now, now: now)
        #expect(frame.canonical == "2023-06-15T14:15:00Z,2023-06-15T14:45:00Z")
        #expect(frame.meaning == "±15 minutes around 2023-06-15T14:30:00Z")
    }

    @Test func timestampsParseAndFormat() {
        #expect(Timestamp.parseISO("2026-07-25T00:00:33.893Z")?.timeIntervalSince1970 == 1_784_937_633.893)
        #expect(Timestamp.parseISO("2021-11-18T09:41:02-08:00") == Timestamp.parseISO("2021-11-18T17:41:02Z"))
        #expect(Timestamp.parseISO("2024-02-29") == Timestamp.parseISO("2024-02-29T00:00:00Z"))
        #expect(Timestamp.parseISO("2023-02-29T00:00:00Z") == nil)
        #expect(Timestamp.parseISO("2023-06-15T25:00:00Z") == nil)
        #expect(Timestamp.parseISO("2023-06-15T14:00:00Zjunk") == nil)
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(Timestamp.parseEpoch("1424476529.0") == Date(timeIntervalSince1970: 1_424_476_529))
        #expect(Timestamp.parseEpoch("-5") == nil)
    }
}
