# SSH open to the world.

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

resource "aws_security_group" "bastion" {
  name        = "bastion-sg-prod"
  description = "Bastion hosts"
  vpc_id      = "vpc-0a1b2c3d4e5f60789"

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "HTTPS to AWS APIs"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

output "bastion_id" {
  value = aws_security_group.bastion.id
}
