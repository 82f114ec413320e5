import Testing
import WhyDeniedAnalysis
import WhyDeniedRunbook
import WhyDeniedSession
import WhyDeniedTestSupport

/// `analyze --live` reads a bucket's Block Public Access and tags only for the buckets its first
/// analysis names (`DeferredBucketSettings`): the first read leaves both out and takes Block Public
/// Access as unread, saying why; the follow-up reads those buckets in full. The batch benchmark's 20
/// buckets cost 40 reads this way that no verdict there depends on.
@Suite struct BatchDeferredBucketReadsTests {
    static let bucketArn = "arn:aws:s3:::\(CIDeployerCase.bucket)"

    static func read(followUp buckets: [String]) async throws -> (calls: [[String]], first: AccountSnapshot?, result: LiveAccountReader.Result) {
        let runbook = try RunbookFixture.loaded(classifier: .bundled)
        var reader = LiveAccountReader(reads: try PolicyReadRunbook.slice(runbook), region: "us-east-1", concurrency: 1)
        reader.defersBucketSettings = true
        let cache = BatchReadCache(wrapping: GuidedFakeAWS(answers: CIDeployerCase.answers()))
        var first: AccountSnapshot?
        let result = await reader.read(principals: [], resources: [bucketArn + "/" + CIDeployerCase.key], effects: { _ in cache },
                                       homeAccount: CIDeployerCase.account, followUp: { snapshot in
                                           first = snapshot
                                           return buckets
                                       }) { _ in }
        return (await cache.started, first, result)
    }

    static func reads(_ calls: [[String]], _ operation: String) -> Int {
        calls.filter { $0.count > 2 && $0[1] == "s3api" && $0[2] == operation }.count
    }

    @Test func theFirstReadLeavesThemUnreadSayingWhy() async throws {
        let batch = try await Self.read(followUp: [])
        #expect(Self.reads(batch.calls, "get-bucket-policy") == 1, "\(batch.calls)")
        #expect(Self.reads(batch.calls, "get-bucket-ownership-controls") == 1)
        #expect(Self.reads(batch.calls, "get-public-access-block") == 0 && Self.reads(batch.calls, "get-bucket-tagging") == 0, "\(batch.calls)")
        let controls = try #require(batch.result.snapshot.s3Buckets.first { $0.bucket == CIDeployerCase.bucket })
        guard case .unread(let read, let reason) = controls.bucketBlock else {
            Issue.record("Block Public Access of the bucket: \(controls.bucketBlock)")
            return
        }
        #expect(read.isEmpty && reason.contains("not read: a batch reads it only"), "\(reason)")
        #expect(batch.first?.s3Buckets == batch.result.snapshot.s3Buckets)
        #expect(batch.result.notes.contains { $0.contains("read for 0 of 1 bucket(s)") }, "\(batch.result.notes)")
    }

    @Test func aBucketTheFollowUpNamesIsReadInFull() async throws {
        let batch = try await Self.read(followUp: [CIDeployerCase.bucket])
        #expect(Self.reads(batch.calls, "get-public-access-block") == 1 && Self.reads(batch.calls, "get-bucket-tagging") == 1, "\(batch.calls)")
        // The reads the first pass made are not made again.
        #expect(Self.reads(batch.calls, "get-bucket-policy") == 1 && Self.reads(batch.calls, "get-bucket-ownership-controls") == 1, "\(batch.calls)")
        let controls = try #require(batch.result.snapshot.s3Buckets.first { $0.bucket == CIDeployerCase.bucket })
        #expect(controls.bucketBlock == .notSet, "NoSuchPublicAccessBlockConfiguration answers: not set; \(controls.bucketBlock)")
        #expect(batch.result.snapshot.s3Buckets.filter { $0.bucket == CIDeployerCase.bucket }.count == 1)
        #expect(batch.result.notes.contains { $0.contains("read for 1 of 1 bucket(s)") }, "\(batch.result.notes)")
    }
}
