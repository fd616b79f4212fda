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

variable "bastion_security_group_id" {
  description = "ID of the bastion tier's security group"
  type        = string
}

variable "app_security_group_id" {
  description = "ID of the app tier's security group"
  type        = string
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
  referenced_security_group_id = var.bastion_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "web_out_8080_app" {
  security_group_id            = aws_security_group.web.id
  description                  = "Requests to the app servers"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = var.app_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "web_out_443_world" {
  security_group_id = aws_security_group.web.id
  description       = "HTTPS for updates and AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

output "web_security_group_id" {
  description = "ID of the web tier's security group"
  value       = aws_security_group.web.id
}
