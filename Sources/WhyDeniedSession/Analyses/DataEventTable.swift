/// The IAM actions whose calls CloudTrail records as data events, with the resource type a
/// trail's event selector must name to record them. `lookup-events` (the 90-day event history)
/// never returns data events, and a trail records them only when selected.
///
/// ```swift
/// DataEventTable.resourceType(for: "s3:GetObject")   // "AWS::S3::Object"
/// DataEventTable.resourceType(for: "kms:Decrypt")    // nil: a management event
/// ```
public enum DataEventTable {
    public static func resourceType(for action: String) -> String? {
        let parts = action.split(separator: ":", maxSplits: 1).map { $0.lowercased() }
        guard parts.count == 2 else { return nil }
        let (service, name) = (parts[0], parts[1])
        switch service {
        case "s3":
            // Object-level calls, and object listings (ListObjects needs s3:ListBucket).
            let listings: Set<String> = ["listbucket", "listbucketversions", "listmultipartuploadparts", "abortmultipartupload"]
            return name.contains("object") || listings.contains(name) ? "AWS::S3::Object" : nil
        case "lambda":
            return name == "invokefunction" ? "AWS::Lambda::Function" : nil
        case "dynamodb":
            let items: Set<String> = ["getitem", "putitem", "updateitem", "deleteitem", "query", "scan", "batchgetitem",
                                      "batchwriteitem", "conditioncheckitem", "partiqlselect", "partiqlinsert",
                                      "partiqlupdate", "partiqldelete"]
            return items.contains(name) ? "AWS::DynamoDB::Table" : nil
        case "sns":
            return name == "publish" ? "AWS::SNS::Topic" : nil
        case "sqs":
            let messages: Set<String> = ["sendmessage", "receivemessage", "deletemessage", "changemessagevisibility"]
            return messages.contains(name) ? "AWS::SQS::Queue" : nil
        case "kinesis":
            let records: Set<String> = ["putrecord", "putrecords", "getrecords", "getsharditerator"]
            return records.contains(name) ? "AWS::Kinesis::Stream" : nil
        default:
            return nil
        }
    }
}
