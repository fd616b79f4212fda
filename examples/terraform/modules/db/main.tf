variable "name" {
  type = string
}

variable "environment" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "app_group" {
  type        = string
  description = "The group of the application servers that use the database."
}

variable "admin_cidrs" {
  type    = list(string)
  default = []
}

resource "aws_security_group" "db" {
  name        = "${var.name}-db-sg-${var.environment}"
  description = "PostgreSQL for ${var.name}"
  vpc_id      = var.vpc_id

  ingress {
    description     = "PostgreSQL from the application"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [var.app_group]
  }

  ingress {
    description = "PostgreSQL from the VPC for admin tools"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.admin_cidrs
  }
}

resource "aws_db_instance" "this" {
  identifier             = "${var.name}-${var.environment}"
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  username               = "app"
  manage_master_user_password = true
  vpc_security_group_ids = [aws_security_group.db.id]
}

output "group_id" {
  value = aws_security_group.db.id
}
