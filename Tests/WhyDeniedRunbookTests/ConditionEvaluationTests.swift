import Testing
import WhyDeniedJSON
import WhyDeniedRunbook

/// `contains`: a list capture holding an item (S3's `OwnershipControls.Rules[*].ObjectOwnership`),
/// or a single value equal to it; absent is false, not yet known is unknown.
@Suite struct ConditionEvaluationTests {
    let enforced = WhenCondition.test(.capture("bucket_object_ownership"), .contains("BucketOwnerEnforced"))

    @Test func aListHoldingTheItemContainsIt() throws {
        let value = try JSONValue.parse(#"["BucketOwnerEnforced"]"#)
        #expect(enforced.evaluate { _ in .known(value) } == true)
        #expect(WhenCondition.not(enforced).evaluate { _ in .known(value) } == false)
    }

    @Test func aListWithoutItOrAnotherValueDoesNot() throws {
        #expect(enforced.evaluate { _ in .known(try! JSONValue.parse(#"["ObjectWriter"]"#)) } == false)
        #expect(enforced.evaluate { _ in .known(.string("BucketOwnerPreferred")) } == false)
        #expect(enforced.evaluate { _ in .known(.array([])) } == false)
    }

    @Test func aSingleEqualValueContainsIt() {
        #expect(enforced.evaluate { _ in .known(.string("BucketOwnerEnforced")) } == true)
    }

    @Test func absentIsFalseAndUnknownStaysUnknown() {
        // No ownership controls (OwnershipControlsNotFoundError): ACLs are enabled, the ACL is read.
        #expect(enforced.evaluate { _ in .absent } == false)
        #expect(WhenCondition.not(enforced).evaluate { _ in .absent } == true)
        #expect(enforced.evaluate { _ in .unknown } == nil)
    }
}
