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

variable "app_security_group_id" {
  description = "ID of the app tier's security group"
  type        = string
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
  referenced_security_group_id = var.app_security_group_id
}

output "db_security_group_id" {
  description = "ID of the db tier's security group"
  value       = aws_security_group.db.id
}
