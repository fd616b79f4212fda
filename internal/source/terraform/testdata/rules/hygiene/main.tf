# Hygiene rules: names, descriptions, tags, rule counts, default groups,
# redundant rules.

resource "aws_vpc" "main" { # want SGH601
  cidr_block = "10.1.0.0/16"
}

resource "aws_default_security_group" "default" { # want SGH706 SGH803
  vpc_id = aws_vpc.main.id

  ingress {
    protocol  = "-1"
    self      = true # want SGH802
    from_port = 0
    to_port   = 0
  }
}

resource "aws_security_group" "wizard" { # want SGH801 SGH802 SGH803
  name   = "launch-wizard-3"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "tidy" {
  name        = "tidy-sg-prod"
  description = "a tidy group"
  vpc_id      = aws_vpc.main.id
  tags        = { Owner = "team-a" }

  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["192.0.2.10/32"] # want SGH802 SGH702
  }

  ingress {
    description = "range"
    from_port   = 8000
    to_port     = 8999
    protocol    = "tcp"
    cidr_blocks = ["192.0.2.0/28"]
  }

  ingress {
    description = "covered by the range above"
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = ["192.0.2.1/32"] # want SGH702
  }
}

resource "aws_security_group" "many" { # want SGH705
  name        = "many-sg-prod"
  description = "too many rules"
  vpc_id      = aws_vpc.main.id
  tags        = { Owner = "team-a" }

  dynamic "ingress" {
    for_each = { a = 7001, b = 7002, c = 7003, d = 7004 }
    content {
      description = "port ${ingress.key}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["192.0.2.0/24"]
    }
  }
}

resource "aws_network_interface" "eni" {
  subnet_id       = "subnet-0123456789abcdef0"
  security_groups = [aws_security_group.wizard.id, aws_security_group.tidy.id, aws_security_group.many.id]
}
