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

    static func read(objectACLs: Bool) async throws -> (calls: [[String]], notes: [String]) {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        var reader = LiveAccountReader(reads: try PolicyReadRunbook.slice(runbook), region: "us-east-1", concurrency: 1)
        reader.readsObjectACLs = objectACLs
        let fake = GuidedFakeAWS(answers: CIDeployerCase.answers())
        let cache = BatchReadCache(wrapping: fake)
        let result = await reader.read(principals: [], resources: objects, effects: { _ in cache },
                                       homeAccount: CIDeployerCase.account) { _ in }
        return (await cache.started, result.notes)
    }

    @Test func aBatchReadsEachBucketOnceAndSaysTheObjectACLsWereNotRead() async throws {
        let batch = try await Self.read(objectACLs: false)
        #expect(!batch.calls.contains { $0.contains("get-object-acl") }, "\(batch.calls)")
        #expect(batch.calls.filter { $0.contains("get-bucket-policy") }.count == 1, "\(batch.calls)")
        #expect(batch.notes.contains { $0.contains("The ACLs of 3 S3 object(s) were not read") }, "\(batch.notes)")
    }

    @Test func oneObjectsSnapshotReadsItsACL() async throws {
        let each = try await Self.read(objectACLs: true)
        #expect(each.calls.filter { $0.contains("get-object-acl") }.count == 3, "\(each.calls)")
        #expect(!each.notes.contains { $0.contains("were not read") })
    }
}
