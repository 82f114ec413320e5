import Testing
import WhyDeniedRunbook
import WhyDeniedSession
import WhyDeniedTestSupport

/// A batch of events on many objects of one bucket (`analyze --live`) reads the bucket once: its
/// objects' own ACLs (one `get-object-acl` process each) are left out and said to be, while
/// `snapshot --resource` of an object reads its ACL. Without it the batch benchmark's 500 objects
/// would have cost 500 more `aws` processes.
@Suite struct BatchObjectACLTests {
    static let objects = ["a.csv", "b.csv", "c.csv"].map { "arn:aws:s3:::\(CIDeployerCase.bucket)/reports/\($0)" }

    static func read(objectACLs: Bool) async throws -> (calls: [[String]], notes: [String], reused: Int, steps: Int) {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        var reader = LiveAccountReader(reads: try PolicyReadRunbook.slice(runbook), region: "us-east-1", concurrency: 1)
        reader.readsObjectACLs = objectACLs
        let fake = GuidedFakeAWS(answers: CIDeployerCase.answers())
        let cache = BatchReadCache(wrapping: fake)
        let progress = CollectedLines()
        let result = await reader.read(principals: [], resources: objects, effects: { _ in cache },
                                       homeAccount: CIDeployerCase.account) { progress.append($0) }
        let steps = progress.all.filter { $0.contains("Check resource-based policies") }.count
        return (await cache.started, result.notes, await cache.reused, steps)
    }

    @Test func aBatchReadsEachBucketOnceAndSaysTheObjectACLsWereNotRead() async throws {
        let batch = try await Self.read(objectACLs: false)
        #expect(!batch.calls.contains { $0.contains("get-object-acl") }, "\(batch.calls)")
        #expect(batch.calls.filter { $0.contains("get-bucket-policy") }.count == 1, "\(batch.calls)")
        #expect(batch.notes.contains { $0.contains("The ACLs of 3 S3 object(s) were not read") }, "\(batch.notes)")
    }

    /// Objects of one bucket share one read session, not only one process per read: the batch
    /// benchmark's 500 objects of 20 buckets ran 500 sessions, each asking the cache again.
    @Test func aBatchRunsOneReadSessionPerBucket() async throws {
        let batch = try await Self.read(objectACLs: false)
        #expect(batch.steps == 1, "a session per object: \(batch.steps)")
        #expect(batch.reused == 0, "reads asked again: \(batch.reused)")
    }

    @Test func oneObjectsSnapshotReadsItsACL() async throws {
        let each = try await Self.read(objectACLs: true)
        #expect(each.calls.filter { $0.contains("get-object-acl") }.count == 3, "\(each.calls)")
        #expect(!each.notes.contains { $0.contains("were not read") })
    }
}
