import Foundation
import Testing
import WhyDeniedTUI

/// Compares a whole screen, row by row, with the expected text (trailing spaces trimmed).
/// On a mismatch the actual screen is written to /tmp/whydenied-screens/<name>.txt for review.
func expectScreen(_ screen: ScreenBuffer, _ name: String, _ expected: String,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = screen.text
    if actual != expected {
        let folder = URL(fileURLWithPath: "/tmp/whydenied-screens")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? actual.write(to: folder.appendingPathComponent(name + ".txt"), atomically: true, encoding: .utf8)
    }
    #expect(actual == expected, "screen \(name) differs", sourceLocation: sourceLocation)
}
