# Hardened security groups in the shape of the guide's example, written by `sgharden init`:
# SSH only from a trusted range (better still, AWS Systems Manager Session Manager), HTTPS from
# the world, MySQL only from the app tier, and egress restricted to what each tier needs.

variable "vpc_id" {
  description = "VPC the groups belong to"
  type        = string
}

variable "environment" {
  description = "Environment, the last part of every group name (prod, staging, dev, test)"
  type        = string
  default     = "prod"
}

variable "web_security_group_id" {
  description = "ID of the web tier's security group"
  type        = string
}

variable "bastion_security_group_id" {
  description = "ID of the bastion tier's security group"
  type        = string
}

variable "db_security_group_id" {
  description = "ID of the db tier's security group"
  type        = string
}

resource "aws_security_group" "app" {
  name        = "app-sg-${var.environment}"
  description = "App tier: requests from the web tier only"
  vpc_id      = var.vpc_id

  tags = {
    Name        = "app-sg-${var.environment}"
    Owner       = "app-team"
    Environment = var.environment
  }
}

resource "aws_vpc_security_group_ingress_rule" "app_in_8080_web" {
  security_group_id            = aws_security_group.app.id
  description                  = "Requests from the web tier"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = var.web_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "app_in_22_bastion" {
  security_group_id            = aws_security_group.app.id
  description                  = "SSH from the bastion"
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
  referenced_security_group_id = var.bastion_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "app_out_3306_db" {
  security_group_id            = aws_security_group.app.id
  description                  = "MySQL to the database"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = var.db_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "app_out_443_world" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to AWS APIs (SQS, ECR)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

output "app_security_group_id" {
  description = "ID of the app tier's security group"
  value       = aws_security_group.app.id
}
