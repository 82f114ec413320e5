import Testing
import WhyDeniedJSON
@testable import WhyDeniedAnalysis

/// Who owns a fix target, from what IAM and the tags say.
struct FixTargetOwnerTests {
    typealias Tag = FixTargetFacts.Tag

    @Test func identityCenterRolesAreOwnedByTheirPermissionSet() {
        let byPath = FixTargetOwner.classify(FixTargetFacts(
            arn: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataAnalyst_0123456789abcdef"))
        #expect(byPath == .identityCenter(permissionSet: "DataAnalyst"))
        // The caller's ARN seen in an error has no path; the name alone says it.
        let byName = FixTargetOwner.classify(FixTargetFacts(arn: "arn:aws:iam::111122223333:role/AWSReservedSSO_Power_User_Access_fedcba9876543210"))
        #expect(byName == .identityCenter(permissionSet: "Power_User_Access"))
        #expect(!byName.changeSticksInPlace)
    }

    @Test func stackTagsNameTheStackAndResource() {
        let owner = FixTargetOwner.classify(FixTargetFacts(
            arn: "arn:aws:iam::111122223333:role/orders-OrderProcessorRole-1A2B3C",
            tags: [Tag(key: "aws:cloudformation:stack-name", value: "orders"),
                   Tag(key: "aws:cloudformation:logical-id", value: "OrderProcessorRole")]))
        #expect(owner == .cloudFormation(stack: "orders", logicalId: "OrderProcessorRole"))
        #expect(owner.whereTheChangeBelongs.contains("stack orders"))
    }

    @Test(arguments: [
        (Tag(key: "ManagedBy", value: "Terraform"), "terraform"),
        (Tag(key: "managed-by", value: "pulumi"), "pulumi"),
        (Tag(key: "terraform", value: "true"), "terraform"),
        (Tag(key: "iac", value: "yes"), nil),
    ] as [(Tag, String?)])
    func codeTagsSayManagedAsCode(tag: Tag, tool: String?) {
        let owner = FixTargetOwner.classify(FixTargetFacts(arn: "arn:aws:iam::111122223333:role/app", tags: [tag]))
        #expect(owner == .infrastructureAsCode(tool: tool, evidence: "tag \(tag.key)=\(tag.value)"))
    }

    @Test func serviceLinkedAndAWSManagedCannotBeEdited() {
        let linked = FixTargetOwner.classify(FixTargetFacts(
            arn: "arn:aws:iam::111122223333:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing"))
        #expect(linked == .serviceLinked(service: "elasticloadbalancing.amazonaws.com"))
        let managed = FixTargetOwner.classify(FixTargetFacts(arn: "arn:aws:iam::aws:policy/ReadOnlyAccess"))
        #expect(managed == .awsManaged)
        #expect(managed.whereTheChangeBelongs.contains("cannot be changed"))
    }

    @Test func anUntaggedRoleOnTheRootPathIsDirect() {
        let owner = FixTargetOwner.classify(FixTargetFacts(arn: "arn:aws:iam::111122223333:role/ci-deployer",
                                                           tags: [Tag(key: "Owner", value: "platform-team"), Tag(key: "CostCenter", value: "42")]))
        #expect(owner == .direct)
        #expect(owner.changeSticksInPlace)
        #expect(FixTargetOwner.pathInArn("arn:aws:iam::1:role/a/b/Name") == "/a/b/")
    }

    /// Only a directly managed target is applied in place; every other owner says why not.
    @Test func onlyADirectTargetIsAppliedInPlace() {
        #expect(FixTargetOwner.direct.directApplyWithheld == nil)
        let others: [FixTargetOwner] = [.identityCenter(permissionSet: "DataAnalyst"), .cloudFormation(stack: "orders", logicalId: nil),
                                        .infrastructureAsCode(tool: "terraform", evidence: "tag ManagedBy=Terraform"),
                                        .serviceLinked(service: "elasticloadbalancing.amazonaws.com"), .awsManaged]
        for owner in others {
            let why = owner.directApplyWithheld
            #expect(why != nil, "\(owner)")
            #expect(!owner.changeSticksInPlace)
        }
        #expect(FixTargetOwner.cloudFormation(stack: "orders", logicalId: nil).directApplyWithheld?.contains("stack orders reverts") == true)
        #expect(FixTargetOwner.awsManaged.directApplyWithheld?.hasPrefix("Never applied") == true)
        #expect(FixTargetOwner.serviceLinked(service: "x").directApplyWithheld?.hasPrefix("Never applied") == true)
    }

    /// A role's ARN with and without its path, or a policy's, name the same entity.
    @Test func anIAMEntityIsTheSameWithOrWithoutItsPath() {
        #expect(FixTargetFacts.iamEntityKey("arn:aws:iam::111122223333:role/service/orders-Role")
                == FixTargetFacts.iamEntityKey("arn:aws:iam::111122223333:role/orders-Role"))
        #expect(FixTargetFacts.iamEntityKey("arn:aws:iam::111122223333:role/a") != FixTargetFacts.iamEntityKey("arn:aws:iam::111122223333:user/a"))
        #expect(FixTargetFacts.iamEntityKey("arn:aws:iam::111122223333:role/a") != FixTargetFacts.iamEntityKey("arn:aws:iam::444455556666:role/a"))
        #expect(FixTargetFacts.iamEntityKey("arn:aws:s3:::bucket") == nil)
        #expect(FixTargetFacts.tags(fromIAM: try? JSONValue.parse(#"[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]"#))
                == [Tag(key: "a", value: "1"), Tag(key: "b", value: "2")])
    }
}
