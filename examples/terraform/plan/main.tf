# A configuration whose plan is committed beside it (plan.json), made with
#   terraform init -plugin-dir=/opt/tf-plugins && terraform plan -refresh=false -out=plan.out
#   terraform show -json plan.out > plan.json
# The provider is configured to make no call to AWS (loopback endpoints,
# no credential or account checks), so the plan is made offline.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

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

variable "admin_cidr" {
  type    = string
  default = "0.0.0.0/0"
}

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_security_group" "lb" {
  name        = "lb-sg-prod"
  description = "Public load balancer"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "app" {
  count       = 2
  name        = "app-${count.index}-sg-prod"
  description = "Application servers"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "from the load balancer"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }

  ingress {
    description = "admin ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "app_rdp" {
  security_group_id = aws_security_group.app[1].id
  description       = "rdp"
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv4         = "0.0.0.0/0"
}
