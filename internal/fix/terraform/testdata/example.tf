# Hardened security groups written by sgharden from a plan: review before applying.
# Inline ingress and egress blocks are authoritative: each group will hold exactly these entries.

# sg-03d0585aa7948380d "web-sg-prod" (123456789012/eu-west-1): 4 → 4 entries
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.web_sg_prod
  id = "sg-03d0585aa7948380d"
}

resource "aws_security_group" "web_sg_prod" {
  name        = "web-sg-prod"
  description = "Web servers behind prod-web-alb"
  vpc_id      = "vpc-06f35b9576fbddd40"

  ingress {
    description     = "HTTP from load balancer"
    protocol        = "tcp"
    from_port       = 8080
    to_port         = 8080
    security_groups = ["sg-0522d90cd5ec1de18"]
  }

  ingress {
    description     = "SSH from bastion"
    protocol        = "tcp"
    from_port       = 22
    to_port         = 22
    security_groups = ["sg-02cc426fffbe350e0"]
  }

  ingress {
    description = "Path MTU discovery (fragmentation needed)"
    protocol    = "icmp"
    from_port   = 3
    to_port     = 4
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "prod"
    ManagedBy   = "terraform"
    Name        = "web-sg-prod"
    Owner       = "web-team"
  }
}

# sg-0e76062d7945e494f "vpce-sg-prod" (123456789012/eu-west-1): 2 → 2 entries
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.vpce_sg_prod
  id = "sg-0e76062d7945e494f"
}

resource "aws_security_group" "vpce_sg_prod" {
  name        = "vpce-sg-prod"
  description = "Interface endpoints for ssm, ssmmessages and ec2messages (Session Manager)"
  vpc_id      = "vpc-06f35b9576fbddd40"

  ingress {
    description = "HTTPS from the prod VPC"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/16"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "prod"
    ManagedBy   = "terraform"
    Name        = "vpce-sg-prod"
    Owner       = "platform"
  }
}

# sg-0899fb13b35bf9970 "partner-sftp-sg-prod" (123456789012/eu-west-1): 2 → 2 entries
#   SGH201 replace: SSH (22/tcp) from pl-0a53240f603aa4508 replaced by the trusted ranges 198.51.100.0/24
import {
  to = aws_security_group.partner_sftp_sg_prod
  id = "sg-0899fb13b35bf9970"
}

resource "aws_security_group" "partner_sftp_sg_prod" {
  name        = "partner-sftp-sg-prod"
  description = "SFTP for partners, sources kept in prefix list partner-sftp-sources"
  vpc_id      = "vpc-06f35b9576fbddd40"

  ingress {
    description = "SSH from a trusted range, replaces pl-0a53240f603aa4508 (sgharden SGH201)"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["198.51.100.0/24"]
  }

  egress {
    description = "HTTPS to S3"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "prod"
    ManagedBy   = "terraform"
    Name        = "partner-sftp-sg-prod"
    Owner       = "partner-team"
  }
}

# sg-00e29a650c887fdfc "ftp-sg-prod" (123456789012/eu-west-1): 3 → 1 entries
#   SGH1401 remove: FTP (20-21/tcp) closed: clear-text protocols; use their secure successors (SFTP, SSH, IMAPS, POP3S, SNMPv3)
#   SGH1401 remove: Telnet (23/tcp) closed: clear-text protocols; use their secure successors (SFTP, SSH, IMAPS, POP3S, SNMPv3)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.ftp_sg_prod
  id = "sg-00e29a650c887fdfc"
}

resource "aws_security_group" "ftp_sg_prod" {
  name        = "ftp-sg-prod"
  description = "Legacy FTP drop for supplier invoices"
  vpc_id      = "vpc-06f35b9576fbddd40"

  ingress = []

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "prod"
    Name        = "ftp-sg-prod"
    Owner       = "finance-it"
  }
}

# sg-066c89ce942acde5f "deploy-sg-prod" (123456789012/eu-west-1): 3 → 2 entries
#   SGH201 replace: SSH (22/tcp) from 0.0.0.0/1 replaced by the trusted ranges 198.51.100.0/24
#   SGH201 remove: SSH (22/tcp) from 128.0.0.0/1 replaced by the trusted ranges 198.51.100.0/24
import {
  to = aws_security_group.deploy_sg_prod
  id = "sg-066c89ce942acde5f"
}

resource "aws_security_group" "deploy_sg_prod" {
  name        = "deploy-sg-prod"
  description = "Deploy pipeline: SSH from CI runners"
  vpc_id      = "vpc-06f35b9576fbddd40"

  ingress {
    description = "SSH from a trusted range, replaces 0.0.0.0/1 (sgharden SGH201)"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["198.51.100.0/24"]
  }

  egress {
    description = "HTTPS to artifact store"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "prod"
    ManagedBy   = "terraform"
    Name        = "deploy-sg-prod"
    Owner       = "platform"
  }
}

# sg-075811b2bfec4db98 "temp" (123456789012/eu-west-1): 2 → 2 entries
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.temp
  id = "sg-075811b2bfec4db98"
}

resource "aws_security_group" "temp" {
  name        = "temp"
  description = "temporary access for the database migration"
  vpc_id      = "vpc-06f35b9576fbddd40"

  ingress {
    description = "bob laptop"
    protocol    = "tcp"
    from_port   = 0
    to_port     = 65535
    cidr_blocks = ["203.0.113.45/32"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# sg-0035708c715f2d01f "default" (123456789012/eu-west-1): 1 → 0 entries
#   SGH706 empty: the default group of VPC vpc-05411fe50f80eb842 is emptied: resources launched without a group choice get no access
resource "aws_default_security_group" "default_vpc_05411fe50f80eb842" {
  vpc_id = "vpc-05411fe50f80eb842"
}

# sg-018a675281174a74d "alb-sg-staging" (123456789012/eu-west-1): 3 → 3 entries
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.alb_sg_staging
  id = "sg-018a675281174a74d"
}

resource "aws_security_group" "alb_sg_staging" {
  name        = "alb-sg-staging"
  description = "Internet-facing load balancer staging-web-alb"
  vpc_id      = "vpc-05411fe50f80eb842"

  ingress {
    description = "HTTP from the internet"
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTPS from the internet"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "staging"
    ManagedBy   = "terraform"
    Name        = "alb-sg-staging"
    Owner       = "web-team"
  }
}

# sg-038d7e753afe6c5f9 "web-sg-staging" (123456789012/eu-west-1): 3 → 3 entries
#   SGH201 replace: SSH (22/tcp) from 0.0.0.0/0 replaced by the trusted ranges 198.51.100.0/24
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.web_sg_staging
  id = "sg-038d7e753afe6c5f9"
}

resource "aws_security_group" "web_sg_staging" {
  name        = "web-sg-staging"
  description = "web servers staging"
  vpc_id      = "vpc-05411fe50f80eb842"

  ingress {
    protocol        = "tcp"
    from_port       = 80
    to_port         = 80
    security_groups = ["sg-018a675281174a74d"]
  }

  ingress {
    description = "SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["198.51.100.0/24"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "staging"
  }
}

# sg-0383cc29686018c49 "app-sg-staging" (123456789012/eu-west-1): 5 → 5 entries
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.app_sg_staging
  id = "sg-0383cc29686018c49"
}

resource "aws_security_group" "app_sg_staging" {
  name        = "app-sg-staging"
  description = "Application servers for staging"
  vpc_id      = "vpc-05411fe50f80eb842"

  ingress {
    description     = "HTTP from web tier"
    protocol        = "tcp"
    from_port       = 8080
    to_port         = 8080
    security_groups = ["sg-038d7e753afe6c5f9"]
  }

  ingress {
    description     = "Analytics batch jobs (old VPC)"
    protocol        = "tcp"
    from_port       = 8080
    to_port         = 8080
    security_groups = ["sg-07934fbd853f336c7"]
  }

  ingress {
    description = "Metrics from the staging VPC"
    protocol    = "tcp"
    from_port   = 9090
    to_port     = 9090
    cidr_blocks = ["10.1.0.0/16"]
  }

  ingress {
    description = "SSH from the staging VPC"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["10.1.0.0/16"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "staging"
    Name        = "app-sg-staging"
    Owner       = "orders-team"
  }
}

# sg-0f98493b3cea05bda "db-sg-staging" (123456789012/eu-west-1): 2 → 2 entries
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.db_sg_staging
  id = "sg-0f98493b3cea05bda"
}

resource "aws_security_group" "db_sg_staging" {
  name        = "db-sg-staging"
  description = "MySQL on EC2 for staging"
  vpc_id      = "vpc-05411fe50f80eb842"

  ingress {
    description     = "MySQL from app tier"
    protocol        = "tcp"
    from_port       = 3306
    to_port         = 3306
    security_groups = ["sg-0383cc29686018c49"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "staging"
    Name        = "db-sg-staging"
    Owner       = "dba-team"
  }
}

# sg-00a8ab936d8e93da2 "bastion-sg-staging" (123456789012/eu-west-1): 4 → 3 entries
#   SGH702 merge: covered by ingress 22/tcp from 203.0.113.0/24: it admits nothing more
import {
  to = aws_security_group.bastion_sg_staging
  id = "sg-00a8ab936d8e93da2"
}

resource "aws_security_group" "bastion_sg_staging" {
  name        = "bastion-sg-staging"
  description = "SSH bastion for staging"
  vpc_id      = "vpc-05411fe50f80eb842"

  ingress {
    description = "SSH from office network"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["203.0.113.0/24"]
  }

  ingress {
    description     = "SSH from office VPN"
    protocol        = "tcp"
    from_port       = 22
    to_port         = 22
    prefix_list_ids = ["pl-0ae3714bac51b5579"]
  }

  egress {
    description = "SSH to staging hosts"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["10.1.0.0/16"]
  }

  tags = {
    Environment = "staging"
    Name        = "bastion-sg-staging"
    Owner       = "platform"
  }
}

# sg-0715fb6884465f6e5 "webdb-sg-staging" (123456789012/eu-west-1): 4 → 4 entries
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.webdb_sg_staging
  id = "sg-0715fb6884465f6e5"
}

resource "aws_security_group" "webdb_sg_staging" {
  name        = "webdb-sg-staging"
  description = "Web server and MySQL on one host (staging demo)"
  vpc_id      = "vpc-05411fe50f80eb842"

  ingress {
    description = "HTTP from the internet"
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTPS from the internet"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "MySQL from the staging VPC"
    protocol    = "tcp"
    from_port   = 3306
    to_port     = 3306
    cidr_blocks = ["10.1.0.0/16"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "staging"
    Name        = "webdb-sg-staging"
    Owner       = "web-team"
  }
}

# sg-0154de5460eb86966 "reporting-db-sg-staging" (123456789012/eu-west-1): 3 → 3 entries
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.reporting_db_sg_staging
  id = "sg-0154de5460eb86966"
}

resource "aws_security_group" "reporting_db_sg_staging" {
  name        = "reporting-db-sg-staging"
  description = "RDS PostgreSQL reporting replica"
  vpc_id      = "vpc-05411fe50f80eb842"

  ingress {
    description      = "BI tool access (temporary)"
    protocol         = "tcp"
    from_port        = 5432
    to_port          = 5432
    ipv6_cidr_blocks = ["::/0"]
  }

  ingress {
    description     = "PostgreSQL from app tier"
    protocol        = "tcp"
    from_port       = 5432
    to_port         = 5432
    security_groups = ["sg-0383cc29686018c49"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "staging"
    Name        = "reporting-db-sg-staging"
    Owner       = "data-team"
  }
}

# sg-0543ea31966699ec8 "legacy-mail-sg-staging" (123456789012/eu-west-1): 2 → 3 entries
#   SGH1401,SGH201 replace: FTP (20-21/tcp), Telnet (23/tcp) closed: clear-text protocols; use their secure successors (SFTP, SSH, IMAPS, POP3S, SNMPv3); SSH (22/tcp) from 0.0.0.0/0 replaced by the trusted ranges 198.51.100.0/24
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.legacy_mail_sg_staging
  id = "sg-0543ea31966699ec8"
}

resource "aws_security_group" "legacy_mail_sg_staging" {
  name        = "legacy-mail-sg-staging"
  description = "old mail relay"
  vpc_id      = "vpc-05411fe50f80eb842"

  ingress {
    description = "mail and ftp"
    protocol    = "tcp"
    from_port   = 24
    to_port     = 25
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["198.51.100.0/24"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# sg-0d3ce2cc1be4ca7ab "rdp-sg-staging" (123456789012/eu-west-1): 3 → 3 entries
#   SGH201 replace: RDP (3389/udp) from 0.0.0.0/0 replaced by the trusted ranges 198.51.100.0/24
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.rdp_sg_staging
  id = "sg-0d3ce2cc1be4ca7ab"
}

resource "aws_security_group" "rdp_sg_staging" {
  name        = "rdp-sg-staging"
  description = "Windows jump host for staging"
  vpc_id      = "vpc-05411fe50f80eb842"

  ingress {
    description = "RDP from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"
    protocol    = "udp"
    from_port   = 3389
    to_port     = 3389
    cidr_blocks = ["198.51.100.0/24"]
  }

  ingress {
    description = "RDP from office network"
    protocol    = "tcp"
    from_port   = 3389
    to_port     = 3389
    cidr_blocks = ["203.0.113.0/24"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "staging"
    Name        = "rdp-sg-staging"
  }
}

# sg-087c896069e1cd0df "jenkins-sg-staging" (123456789012/eu-west-1): 2 → 2 entries
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.jenkins_sg_staging
  id = "sg-087c896069e1cd0df"
}

resource "aws_security_group" "jenkins_sg_staging" {
  name        = "jenkins-sg-staging"
  description = "Managed by Terraform"
  vpc_id      = "vpc-05411fe50f80eb842"

  ingress {
    description = "Jenkins UI from the staging VPC"
    protocol    = "tcp"
    from_port   = 8080
    to_port     = 8080
    cidr_blocks = ["10.1.0.0/16"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Environment = "staging"
    Name        = "jenkins-sg-staging"
    Owner       = "ci-team"
  }
}

# sg-081493f598ba894a7 "default" (123456789012/eu-west-1): 2 → 0 entries
#   SGH706 empty: the default group of VPC vpc-051926eb9d1ac83b4 is emptied: resources launched without a group choice get no access
#   advice: 1 network interface uses this group and lose the access it gave: give their resources their own groups before applying
resource "aws_default_security_group" "default_vpc_051926eb9d1ac83b4" {
  vpc_id = "vpc-051926eb9d1ac83b4"
}

# sg-075dda360f929515a "launch-wizard-3" (123456789012/eu-west-1): 2 → 2 entries
#   SGH201 replace: SSH (22/tcp) from 0.0.0.0/0 replaced by the trusted ranges 198.51.100.0/24
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.launch_wizard_3
  id = "sg-075dda360f929515a"
}

resource "aws_security_group" "launch_wizard_3" {
  name        = "launch-wizard-3"
  description = "launch-wizard-3 created 2024-03-18T10:22:31.512Z"
  vpc_id      = "vpc-051926eb9d1ac83b4"

  ingress {
    description = "SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["198.51.100.0/24"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# sg-0b0a9b45b2635d838 "debug-allow-all" (123456789012/eu-west-1): 2 → 2 entries
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.debug_allow_all
  id = "sg-0b0a9b45b2635d838"
}

resource "aws_security_group" "debug_allow_all" {
  name        = "debug-allow-all"
  description = "allow everything while debugging"
  vpc_id      = "vpc-051926eb9d1ac83b4"

  ingress {
    description = "debug"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# sg-07eeca8a03203684c "windows-legacy" (123456789012/eu-west-1): 3 → 3 entries
#   SGH201 replace: RDP (3389/tcp) from 0.0.0.0/0 replaced by the trusted ranges 198.51.100.0/24
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
import {
  to = aws_security_group.windows_legacy
  id = "sg-07eeca8a03203684c"
}

resource "aws_security_group" "windows_legacy" {
  name        = "windows-legacy"
  description = "Legacy Windows file server"
  vpc_id      = "vpc-051926eb9d1ac83b4"

  ingress {
    description = "RDP from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"
    protocol    = "tcp"
    from_port   = 3389
    to_port     = 3389
    cidr_blocks = ["198.51.100.0/24"]
  }

  ingress {
    description = "SMB from the VPC"
    protocol    = "tcp"
    from_port   = 445
    to_port     = 445
    cidr_blocks = ["172.31.0.0/16"]
  }

  egress {
    description = "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Name = "fileserver"
  }
}
