variable "port" {
  type = number
}

resource "aws_security_group" "edge" {
  name        = "edge-sg-prod"
  description = "edge proxy"

  ingress {
    description = "proxy port"
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # want SGH203
  }
}

resource "aws_security_group" "spare" { # want SGH701
  name        = "spare-sg-prod"
  description = "nobody uses this"
}

output "group_id" {
  value = aws_security_group.edge.id
}
