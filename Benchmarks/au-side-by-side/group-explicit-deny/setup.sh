# The sandbox's "group-explicit-deny" scenario (Sources/WhyDeniedSandbox/Scenarios/GroupExplicitDenyScenario.swift).
aws iam create-user --user-name dana >/dev/null
arn=$(aws iam create-policy --policy-name SharedDocsFullAccess --query Policy.Arn --output text --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Sid":"SharedDocs","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::shared-docs","arn:aws:s3:::shared-docs/*"]}]}')
aws iam attach-user-policy --user-name dana --policy-arn "$arn"
aws iam create-group --group-name Contractors >/dev/null
aws iam add-user-to-group --group-name Contractors --user-name dana
aws iam put-group-policy --group-name Contractors --policy-name DenyDeletes --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Sid":"NoDeletes","Effect":"Deny","Action":["s3:DeleteObject","s3:DeleteObjectVersion"],"Resource":"*"}]}'
aws s3api create-bucket --bucket shared-docs >/dev/null
