resource "aws_security_group" "lb" {
  name        = "lb-sg-${var.environment}"
  description = "Public load balancer"
  vpc_id      = aws_vpc.main.id
  tags        = local.tags

  dynamic "ingress" {
    for_each = var.public_ports
    content {
      description      = "public ${ingress.value}"
      from_port        = ingress.value
      to_port          = ingress.value
      protocol         = "tcp"
      cidr_blocks      = ["0.0.0.0/0"]
      ipv6_cidr_blocks = ["::/0"]
    }
  }

  egress {
    description     = "to the web tier"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.web.id]
  }
}

resource "aws_security_group" "web" {
  name        = "web-sg-${var.environment}"
  description = "Web servers behind the load balancer"
  vpc_id      = aws_vpc.main.id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "web_from_lb" {
  security_group_id            = aws_security_group.web.id
  description                  = "HTTP from the load balancer"
  referenced_security_group_id = aws_security_group.lb.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
}

# A leftover: SSH straight from the internet.
resource "aws_vpc_security_group_ingress_rule" "web_ssh" {
  security_group_id = aws_security_group.web.id
  description       = "temporary ssh"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "web_all" {
  security_group_id = aws_security_group.web.id
  description       = "everything out"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "web_s3" {
  security_group_id = aws_security_group.web.id
  description       = "S3 gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_ec2_managed_prefix_list.s3.id
}

resource "aws_security_group" "bastion" {
  name        = "bastion-sg-${var.environment}"
  description = "SSH bastion for the office"
  vpc_id      = aws_vpc.main.id
  tags        = local.tags

  ingress {
    description = "ssh from the offices"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.office_cidrs
  }

  # sgharden:ignore SGH503 exp:2027-06-30 package mirrors are on http, ticket NET-42
  egress {
    description = "http for package mirrors"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "cache" {
  for_each    = var.cache_services
  name        = "${each.key}-sg-${var.environment}"
  description = "${each.key} cache"
  vpc_id      = aws_vpc.main.id
  tags        = local.tags
}

resource "aws_security_group_rule" "cache_from_web" {
  for_each                 = var.cache_services
  type                     = "ingress"
  security_group_id        = aws_security_group.cache[each.key].id
  description              = "${each.key} from web"
  from_port                = each.value
  to_port                  = each.value
  protocol                 = "tcp"
  source_security_group_id = aws_security_group.web.id
}

#trivy:ignore:AVD-AWS-0104
resource "aws_security_group_rule" "cache_out" {
  type              = "egress"
  security_group_id = aws_security_group.cache["redis"].id
  description       = "replication to the DR region"
  from_port         = 6379
  to_port           = 6379
  protocol          = "tcp"
  cidr_blocks       = ["198.51.100.0/24"]
}

module "db" {
  source      = "./modules/db"
  name        = "orders"
  environment = var.environment
  vpc_id      = aws_vpc.main.id
  app_group   = aws_security_group.web.id
  admin_cidrs = ["10.20.0.0/16"]
}

resource "aws_lb" "public" {
  name               = "public-${var.environment}"
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
  security_groups    = [aws_security_group.lb.id]
}

resource "aws_instance" "web" {
  count                  = 2
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.small"
  subnet_id              = aws_subnet.private[count.index].id
  vpc_security_group_ids = [aws_security_group.web.id]
}

resource "aws_instance" "bastion" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public[0].id
  vpc_security_group_ids = [aws_security_group.bastion.id]
}
