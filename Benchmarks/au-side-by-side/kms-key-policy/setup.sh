# The sandbox's "kms-key-policy" scenario (Sources/WhyDeniedSandbox/Scenarios/KMSKeyPolicyScenario.swift).
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam create-role --role-name KeyAdminRole --assume-role-policy-document "$trust" >/dev/null
aws iam create-role --role-name PaymentsAppRole --assume-role-policy-document "$trust" >/dev/null
key=$(aws --endpoint-url "$AWS_ENDPOINT_URL" kms create-key --description "payments data key" --query KeyMetadata.Arn --output text --policy \
  '{"Version":"2012-10-17","Id":"payments-key-policy","Statement":[{"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/KeyAdminRole"},"Action":"kms:*","Resource":"*"}]}')
aws iam put-role-policy --role-name PaymentsAppRole --policy-name AllowDecryptPaymentsKey --policy-document \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DecryptPayments\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"$key\"}]}"
put_var KEY_ARN "$key"
