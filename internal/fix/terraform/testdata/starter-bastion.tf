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

variable "app_security_group_id" {
  description = "ID of the app tier's security group"
  type        = string
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
  referenced_security_group_id = var.app_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "bastion_out_443_world" {
  security_group_id = aws_security_group.bastion.id
  description       = "HTTPS for updates and AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

output "bastion_security_group_id" {
  description = "ID of the bastion tier's security group"
  value       = aws_security_group.bastion.id
}
