# Exposure rules in Terraform form: every ingress and egress style.

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "main" }
}

resource "aws_flow_log" "main" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::flow-logs"
}

resource "aws_security_group" "bastion" {
  name        = "bastion-sg-prod"
  description = "SSH bastion"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "ssh from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # want SGH201
  }

  ingress {
    description = "telnet"
    from_port   = 23
    to_port     = 23
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"] # want SGH1401
  }

  egress {
    description = "https out"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "web" {
  name        = "web-sg-prod"
  description = "public web tier"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "web" }

  ingress {
    description      = "https"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"] # want SGH204
    ipv6_cidr_blocks = ["::/0"]      # want SGH204
  }

  ingress {
    description = "mysql from a partner range"
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["198.51.0.0/16"] # want SGH103 SGH401
  }

  egress {
    description = "everything"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] # want SGH501 SGH502
  }
}

resource "aws_security_group" "open" {
  name        = "open-sg-dev"
  description = "too open"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "open_all" { # want SGH102 SGH101 SGH201 SGH203 SGH1401
  security_group_id = aws_security_group.open.id
  description       = "all traffic"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group_rule" "open_redis" {
  type              = "ingress"
  security_group_id = aws_security_group.open.id
  description       = "redis"
  from_port         = 6379
  to_port           = 6379
  protocol          = "tcp"
  cidr_blocks       = ["203.0.113.5/16"] # want SGH104 SGH103 SGH702
}

resource "aws_vpc_security_group_egress_rule" "open_smtp" { # want SGH503 SGH502
  security_group_id = aws_security_group.open.id
  description       = "smtp relay"
  ip_protocol       = "tcp"
  from_port         = 25
  to_port           = 25
  cidr_ipv4         = "198.51.100.0/24"
}

resource "aws_security_group" "app" {
  name        = "app-sg-prod"
  description = "application tier"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "from the web subnet"
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = ["10.0.1.0/24"] # want SGH403
  }

  ingress {
    description     = "from the web tier"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.open.id] # want SGH1001
  }

  dynamic "ingress" {
    for_each = [9000, 9001]
    content {
      description = "metrics ${ingress.value}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["192.0.2.0/24"]
    }
  }
}

resource "aws_instance" "bastion" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.bastion.id, aws_security_group.app.id, aws_security_group.web.id]
}
