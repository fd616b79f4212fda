# Trusted ranges (SGH202), unknown values, count and for_each addresses,
# and a local module.

variable "office_cidr" {
  type = string
}

variable "partner_cidr" {
  type    = string
  default = "198.51.100.0/24"
}

locals {
  services = { redis = 6379, memcached = 11211 }
}

resource "aws_security_group" "admin" {
  count       = 2
  name        = "admin-${count.index}-sg-prod"
  description = "admin access"

  ingress {
    description = "ssh from the office"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["203.0.113.0/24"]
  }

  ingress {
    description = "ssh from the partner"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.partner_cidr] # want SGH202
  }

  ingress {
    description = "rdp from an unset variable"
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.office_cidr] # want SGH201
  }
}

resource "aws_security_group" "svc" {
  for_each    = local.services
  name        = "${each.key}-sg-prod"
  description = "cache ${each.key}"

  ingress {
    description     = "from admin"
    from_port       = each.value
    to_port         = each.value
    protocol        = "tcp"
    security_groups = [aws_security_group.admin[0].id]
  }
}

module "edge" {
  source = "./modules/edge"
  port   = 8080
}

resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  vpc_security_group_ids = concat([for g in aws_security_group.admin : g.id], [module.edge.group_id])
}

output "caches" {
  value = { for k, g in aws_security_group.svc : k => g.id }
}
