import Foundation
import Testing
@testable import WhyDeniedEvidence

@Suite("PrincipalIdentity")
struct IdentityPrincipalTests {
    @Test func iamUserWithAndWithoutPath() throws {
        let plain = try #require(PrincipalIdentity(arn: "arn:aws:iam::123456789012:user/alice"))
        #expect(plain.kind == .iamUser)
        #expect(plain.name == "alice")
        #expect(plain.path == "/")
        #expect(plain.accountId == "123456789012")
        #expect(plain.partition == "aws")
        #expect(plain.roleArn == nil)
        let withPath = try #require(PrincipalIdentity(arn: "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob"))
        #expect(withPath.name == "Bob")
        #expect(withPath.path == "/division_abc/subdivision_xyz/")
        #expect(withPath.arn == "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob")
    }

    @Test func roleWithPathIncludingServiceLinkedRole() throws {
        let role = try #require(PrincipalIdentity(arn: "arn:aws:iam::123456789012:role/application_abc/component_xyz/S3Access"))
        #expect(role.kind == .role)
        #expect(role.name == "S3Access")
        #expect(role.path == "/application_abc/component_xyz/")
        #expect(role.roleArn == "arn:aws:iam::123456789012:role/application_abc/component_xyz/S3Access")
        let linked = try #require(PrincipalIdentity(
            arn: "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"))
        #expect(linked.name == "AWSServiceRoleForAutoScaling")
        #expect(linked.path == "/aws-service-role/autoscaling.amazonaws.com/")
    }

    @Test func assumedRoleSessionNamesItsRole() throws {
        let session = try #require(PrincipalIdentity(arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123abcd/user@example.com"))
        #expect(session.kind == .assumedRole)
        #expect(session.name == "AWSReservedSSO_Admin_0123abcd")
        #expect(session.sessionName == "user@example.com")
        #expect(session.path == nil)
        #expect(session.accountId == "111122223333")
        #expect(session.roleArn == "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123abcd")
        let noSession = try #require(PrincipalIdentity(arn: "arn:aws:sts::111122223333:assumed-role/OnlyRole"))
        #expect(noSession.name == "OnlyRole")
        #expect(noSession.sessionName == nil)
    }

    @Test func assumedRoleInGovCloudAndChinaKeepsPartition() throws {
        let gov = try #require(PrincipalIdentity(arn: "arn:aws-us-gov:sts::123456789012:assumed-role/Ops/i-0abc"))
        #expect(gov.partition == "aws-us-gov")
        #expect(gov.roleArn == "arn:aws-us-gov:iam::123456789012:role/Ops")
        let china = try #require(PrincipalIdentity(arn: "arn:aws-cn:iam::123456789012:user/zhang"))
        #expect(china.kind == .iamUser)
        #expect(china.partition == "aws-cn")
    }

    @Test func federatedUser() throws {
        let fed = try #require(PrincipalIdentity(arn: "arn:aws:sts::123456789012:federated-user/Bob"))
        #expect(fed.kind == .federatedUser)
        #expect(fed.name == "Bob")
        #expect(fed.roleArn == nil)
    }

    @Test func root() throws {
        let root = try #require(PrincipalIdentity(arn: "arn:aws:iam::123456789012:root"))
        #expect(root.kind == .root)
        #expect(root.accountId == "123456789012")
        #expect(root.name == nil)
        let bareAccount = try #require(PrincipalIdentity(arn: "123456789012"))
        #expect(bareAccount.kind == .root)
        #expect(bareAccount.accountId == "123456789012")
        #expect(bareAccount.arn == nil)
    }

    @Test(arguments: [
        ("ec2.amazonaws.com", nil as String?),
        ("states.eu-west-1.amazonaws.com", nil),
        ("ecs-tasks.amazonaws.com", nil),
        ("ec2.amazonaws.com.cn", "aws-cn"),
    ])
    func servicePrincipals(_ text: String, _ partition: String?) throws {
        let service = try #require(PrincipalIdentity(arn: text))
        #expect(service.kind == .service)
        #expect(service.name == text)
        #expect(service.arn == nil)
        #expect(service.partition == partition)
    }

    @Test func anonymous() throws {
        #expect(PrincipalIdentity(arn: "anonymous")?.kind == .anonymous)
        #expect(PrincipalIdentity(arn: " * ")?.kind == .anonymous)
    }

    @Test func nonPrincipalARNIsUnknownButKeepsParts() throws {
        let group = try #require(PrincipalIdentity(arn: "arn:aws:iam::123456789012:group/Admins"))
        #expect(group.kind == .unknown)
        #expect(group.name == "group/Admins")
        #expect(group.accountId == "123456789012")
    }

    @Test(arguments: ["", "   ", "alice", "amazonaws.com", ".amazonaws.com", "12345678901", "arn:aws", "bad host.amazonaws.com"])
    func rejectsText(_ text: String) {
        #expect(PrincipalIdentity(arn: text) == nil)
    }

    @Test func codableRoundTrip() throws {
        let who = try #require(PrincipalIdentity(arn: "arn:aws:sts::123456789012:assumed-role/Deploy/ci"))
        let data = try JSONEncoder().encode(who)
        #expect(try JSONDecoder().decode(PrincipalIdentity.self, from: data) == who)
    }
}
