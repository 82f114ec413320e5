import Foundation
import Testing
import WhyDeniedTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A test that copies a binary and runs it can meet ETXTBSY: another thread's fork made while the
/// copy was open for writing keeps a write descriptor until that child execs (CI failed
/// `VersionTests.aWorktreeNamesItsOwnHead` so). Here the copy is held open for writing for
/// 200 ms, then closed: the launch waits for it instead of failing.
@Suite struct BusyBinaryLaunchTests {
    @Test func aBinaryStillOpenForWritingRunsOnceItIsClosed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whydenied-busy-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("true")
        try FileManager.default.copyItem(atPath: "/bin/true", toPath: copy.path)
        let writer = open(copy.path, O_WRONLY)
        #expect(writer >= 0)
        let closer = Thread { Thread.sleep(forTimeInterval: 0.2); close(writer) }
        closer.start()
        let run = try TestProcess.run(copy.path, [])
        #expect(run.status == 0)
    }
}
