# An IAM policy granting security-group writes on every group, without MFA.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

# Offline: loopback endpoints, no credential or account checks (see ../plan.sh).
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    ec2 = "http://127.0.0.1:9"
    iam = "http://127.0.0.1:9"
    sts = "http://127.0.0.1:9"
  }
}

resource "aws_iam_policy" "sg_editor" {
  name = "sg-editor"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "EditGroups"
      Effect   = "Allow"
      Action   = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
      Resource = "*"
    }]
  })
}
