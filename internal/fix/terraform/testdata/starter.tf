# Hardened security groups in the shape of the guide's example, written by `sgharden init`:
# SSH only from a trusted range (better still, AWS Systems Manager Session Manager), HTTPS from
# the world, MySQL only from the app tier, and egress restricted to what each tier needs.

variable "vpc_id" {
  description = "VPC the groups belong to"
  type        = string
}

variable "trusted_cidr" {
  description = "Trusted range for SSH (VPN or office); keep it in trusted_cidrs of .sgharden.yaml"
  type        = string
  default     = "10.0.0.0/24"
}

variable "environment" {
  description = "Environment, the last part of every group name (prod, staging, dev, test)"
  type        = string
  default     = "prod"
}

resource "aws_security_group" "bastion" {
  name        = "bastion-sg-${var.environment}"
  description = "Bastion host: SSH from the trusted range only"
  vpc_id      = var.vpc_id

  tags = {
    Name        = "bastion-sg-${var.environment}"
    Owner       = "platform-team"
    Environment = var.environment
  }
}

resource "aws_vpc_security_group_ingress_rule" "bastion_in_22_trusted" {
  security_group_id = aws_security_group.bastion.id
  description       = "SSH from the trusted range (VPN or office)"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.trusted_cidr
}

resource "aws_vpc_security_group_egress_rule" "bastion_out_22_app" {
  security_group_id            = aws_security_group.bastion.id
  description                  = "SSH to the app servers"
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_vpc_security_group_egress_rule" "bastion_out_443_world" {
  security_group_id = aws_security_group.bastion.id
  description       = "HTTPS for updates and AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "web" {
  name        = "web-sg-${var.environment}"
  description = "Web tier: HTTPS from the internet"
  vpc_id      = var.vpc_id

  tags = {
    Name        = "web-sg-${var.environment}"
    Owner       = "web-team"
    Environment = var.environment
  }
}

resource "aws_vpc_security_group_ingress_rule" "web_in_443_world" {
  security_group_id = aws_security_group.web.id
  description       = "HTTPS from the internet"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "web_in_22_bastion" {
  security_group_id            = aws_security_group.web.id
  description                  = "SSH from the bastion"
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
  referenced_security_group_id = aws_security_group.bastion.id
}

resource "aws_vpc_security_group_egress_rule" "web_out_8080_app" {
  security_group_id            = aws_security_group.web.id
  description                  = "Requests to the app servers"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_vpc_security_group_egress_rule" "web_out_443_world" {
  security_group_id = aws_security_group.web.id
  description       = "HTTPS for updates and AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
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
  referenced_security_group_id = aws_security_group.web.id
}

resource "aws_vpc_security_group_ingress_rule" "app_in_22_bastion" {
  security_group_id            = aws_security_group.app.id
  description                  = "SSH from the bastion"
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
  referenced_security_group_id = aws_security_group.bastion.id
}

resource "aws_vpc_security_group_egress_rule" "app_out_3306_db" {
  security_group_id            = aws_security_group.app.id
  description                  = "MySQL to the database"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = aws_security_group.db.id
}

resource "aws_vpc_security_group_egress_rule" "app_out_443_world" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to AWS APIs (SQS, ECR)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "db" {
  name        = "db-sg-${var.environment}"
  description = "Database tier: MySQL from the app tier only, no egress"
  vpc_id      = var.vpc_id

  tags = {
    Name        = "db-sg-${var.environment}"
    Owner       = "data-team"
    Environment = var.environment
  }
}

resource "aws_vpc_security_group_ingress_rule" "db_in_3306_app" {
  security_group_id            = aws_security_group.db.id
  description                  = "MySQL from the app servers"
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  referenced_security_group_id = aws_security_group.app.id
}

output "bastion_security_group_id" {
  description = "ID of the bastion tier's security group"
  value       = aws_security_group.bastion.id
}

output "web_security_group_id" {
  description = "ID of the web tier's security group"
  value       = aws_security_group.web.id
}

output "app_security_group_id" {
  description = "ID of the app tier's security group"
  value       = aws_security_group.app.id
}

output "db_security_group_id" {
  description = "ID of the db tier's security group"
  value       = aws_security_group.db.id
}
