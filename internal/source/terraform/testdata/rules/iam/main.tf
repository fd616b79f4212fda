# IAM policies granting security-group writes: data sources, jsonencode
# and heredocs, attached to roles and users.

data "aws_iam_policy_document" "sg_admin" {
  statement { # want SGH1301 SGH1302
    sid       = "SGWrite"
    actions   = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_policy" "sg_admin" {
  name   = "sg-admin"
  policy = data.aws_iam_policy_document.sg_admin.json
}

resource "aws_iam_role_policy_attachment" "deployer" {
  role       = aws_iam_role.deployer.name
  policy_arn = aws_iam_policy.sg_admin.arn
}

resource "aws_iam_user_policy" "ops" {
  name   = "ops-sg"
  user   = "ops"
  policy = file("${path.module}/ops.json") # want SGH1301
}

resource "aws_iam_role_policy" "ci" {
  name = "ci-sg"
  role = aws_iam_role.deployer.id
  policy = jsonencode({ # want SGH1301 SGH1302
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ec2:CreateSecurityGroup"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_group_policy" "net" {
  name  = "net-read"
  group = "network"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": {"Effect": "Allow", "Action": ["ec2:Describe*"], "Resource": "*"}
    }
  EOT
}
