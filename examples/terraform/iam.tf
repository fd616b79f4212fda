data "aws_iam_policy_document" "network_ops" {
  statement {
    sid = "ManageGroups"
    actions = [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:ModifySecurityGroupRules",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role" "ci" {
  name = "ci-deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
    }]
  })
}

resource "aws_iam_policy" "network_ops" {
  name   = "network-ops"
  policy = data.aws_iam_policy_document.network_ops.json
}

resource "aws_iam_role_policy_attachment" "ci_network_ops" {
  role       = aws_iam_role.ci.name
  policy_arn = aws_iam_policy.network_ops.arn
}
