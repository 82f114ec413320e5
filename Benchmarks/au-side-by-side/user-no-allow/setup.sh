# The sandbox's "user-no-allow" scenario (Sources/WhyDeniedSandbox/Scenarios/UserWithoutAllowScenario.swift).
aws iam create-user --user-name ci-deployer >/dev/null
arn=$(aws iam create-policy --policy-name DeployArtifactsList --query Policy.Arn --output text --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Sid":"ListArtifacts","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::deploy-artifacts"}]}')
aws iam attach-user-policy --user-name ci-deployer --policy-arn "$arn"
aws s3api create-bucket --bucket deploy-artifacts >/dev/null
