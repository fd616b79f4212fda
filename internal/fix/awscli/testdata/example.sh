#!/usr/bin/env bash
# Hardening plan written by sgharden: review every call before running it.
# Within each group and direction the new entries are authorized before the old ones are revoked.
set -euo pipefail

# sg-03d0585aa7948380d "web-sg-prod" (123456789012/eu-west-1)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-03d0585aa7948380d --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-03d0585aa7948380d --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-0e76062d7945e494f "vpce-sg-prod" (123456789012/eu-west-1)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-0e76062d7945e494f --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0e76062d7945e494f --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-0899fb13b35bf9970 "partner-sftp-sg-prod" (123456789012/eu-west-1)
#   SGH201 replace: SSH (22/tcp) from pl-0a53240f603aa4508 replaced by the trusted ranges 198.51.100.0/24
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-0899fb13b35bf9970 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"SSH from a trusted range, replaces pl-0a53240f603aa4508 (sgharden SGH201)"}]}]'
aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-0899fb13b35bf9970 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"PrefixListIds":[{"PrefixListId":"pl-0a53240f603aa4508"}]}]'

# sg-00e29a650c887fdfc "ftp-sg-prod" (123456789012/eu-west-1)
#   SGH1401 remove: FTP (20-21/tcp) closed: clear-text protocols; use their secure successors (SFTP, SSH, IMAPS, POP3S, SNMPv3)
#   SGH1401 remove: Telnet (23/tcp) closed: clear-text protocols; use their secure successors (SFTP, SSH, IMAPS, POP3S, SNMPv3)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-00e29a650c887fdfc --ip-permissions '[{"IpProtocol":"tcp","FromPort":20,"ToPort":21,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]},{"IpProtocol":"tcp","FromPort":23,"ToPort":23,"IpRanges":[{"CidrIp":"10.0.0.0/16"}]}]'
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-00e29a650c887fdfc --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-00e29a650c887fdfc --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-066c89ce942acde5f "deploy-sg-prod" (123456789012/eu-west-1)
#   SGH201 replace: SSH (22/tcp) from 0.0.0.0/1 replaced by the trusted ranges 198.51.100.0/24
#   SGH201 remove: SSH (22/tcp) from 128.0.0.0/1 replaced by the trusted ranges 198.51.100.0/24
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-066c89ce942acde5f --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"SSH from a trusted range, replaces 0.0.0.0/1 (sgharden SGH201)"}]}]'
aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-066c89ce942acde5f --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/1"},{"CidrIp":"128.0.0.0/1"}]}]'

# sg-075811b2bfec4db98 "temp" (123456789012/eu-west-1)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-075811b2bfec4db98 --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-075811b2bfec4db98 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-0035708c715f2d01f "default" (123456789012/eu-west-1)
#   SGH706 empty: the default group of VPC vpc-05411fe50f80eb842 is emptied: resources launched without a group choice get no access
# account 123456789012: run with credentials for this account
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0035708c715f2d01f --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-018a675281174a74d "alb-sg-staging" (123456789012/eu-west-1)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-018a675281174a74d --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-018a675281174a74d --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-038d7e753afe6c5f9 "web-sg-staging" (123456789012/eu-west-1)
#   SGH201 replace: SSH (22/tcp) from 0.0.0.0/0 replaced by the trusted ranges 198.51.100.0/24
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-038d7e753afe6c5f9 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"}]}]'
aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-038d7e753afe6c5f9 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-038d7e753afe6c5f9 --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-038d7e753afe6c5f9 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-0383cc29686018c49 "app-sg-staging" (123456789012/eu-west-1)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-0383cc29686018c49 --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0383cc29686018c49 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-0f98493b3cea05bda "db-sg-staging" (123456789012/eu-west-1)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-0f98493b3cea05bda --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0f98493b3cea05bda --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-00a8ab936d8e93da2 "bastion-sg-staging" (123456789012/eu-west-1)
#   SGH702 merge: covered by ingress 22/tcp from 203.0.113.0/24: it admits nothing more
# account 123456789012: run with credentials for this account
aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-00a8ab936d8e93da2 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"203.0.113.10/32"}]}]'

# sg-0715fb6884465f6e5 "webdb-sg-staging" (123456789012/eu-west-1)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-0715fb6884465f6e5 --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0715fb6884465f6e5 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-0154de5460eb86966 "reporting-db-sg-staging" (123456789012/eu-west-1)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-0154de5460eb86966 --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0154de5460eb86966 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-0543ea31966699ec8 "legacy-mail-sg-staging" (123456789012/eu-west-1)
#   SGH1401,SGH201 replace: FTP (20-21/tcp), Telnet (23/tcp) closed: clear-text protocols; use their secure successors (SFTP, SSH, IMAPS, POP3S, SNMPv3); SSH (22/tcp) from 0.0.0.0/0 replaced by the trusted ranges 198.51.100.0/24
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-0543ea31966699ec8 --ip-permissions '[{"IpProtocol":"tcp","FromPort":24,"ToPort":25,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"mail and ftp"}]},{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"}]}]'
aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-0543ea31966699ec8 --ip-permissions '[{"IpProtocol":"tcp","FromPort":20,"ToPort":25,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-0543ea31966699ec8 --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0543ea31966699ec8 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-0d3ce2cc1be4ca7ab "rdp-sg-staging" (123456789012/eu-west-1)
#   SGH201 replace: RDP (3389/udp) from 0.0.0.0/0 replaced by the trusted ranges 198.51.100.0/24
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-0d3ce2cc1be4ca7ab --ip-permissions '[{"IpProtocol":"udp","FromPort":3389,"ToPort":3389,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"RDP from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"}]}]'
aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-0d3ce2cc1be4ca7ab --ip-permissions '[{"IpProtocol":"udp","FromPort":3389,"ToPort":3389,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-0d3ce2cc1be4ca7ab --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0d3ce2cc1be4ca7ab --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-087c896069e1cd0df "jenkins-sg-staging" (123456789012/eu-west-1)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-087c896069e1cd0df --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-087c896069e1cd0df --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-081493f598ba894a7 "default" (123456789012/eu-west-1)
#   SGH706 empty: the default group of VPC vpc-051926eb9d1ac83b4 is emptied: resources launched without a group choice get no access
#   advice: 1 network interface uses this group and lose the access it gave: give their resources their own groups before applying
# account 123456789012: run with credentials for this account
aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-081493f598ba894a7 --ip-permissions '[{"IpProtocol":"-1","UserIdGroupPairs":[{"GroupId":"sg-081493f598ba894a7","UserId":"123456789012"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-081493f598ba894a7 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-075dda360f929515a "launch-wizard-3" (123456789012/eu-west-1)
#   SGH201 replace: SSH (22/tcp) from 0.0.0.0/0 replaced by the trusted ranges 198.51.100.0/24
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-075dda360f929515a --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"}]}]'
aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-075dda360f929515a --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-075dda360f929515a --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-075dda360f929515a --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-0b0a9b45b2635d838 "debug-allow-all" (123456789012/eu-west-1)
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-0b0a9b45b2635d838 --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0b0a9b45b2635d838 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'

# sg-07eeca8a03203684c "windows-legacy" (123456789012/eu-west-1)
#   SGH201 replace: RDP (3389/tcp) from 0.0.0.0/0 replaced by the trusted ranges 198.51.100.0/24
#   SGH501 replace: all outbound traffic to 0.0.0.0/0 replaced by 443/tcp
# account 123456789012: run with credentials for this account
aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-07eeca8a03203684c --ip-permissions '[{"IpProtocol":"tcp","FromPort":3389,"ToPort":3389,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"RDP from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"}]}]'
aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-07eeca8a03203684c --ip-permissions '[{"IpProtocol":"tcp","FromPort":3389,"ToPort":3389,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'
aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-07eeca8a03203684c --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'
aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-07eeca8a03203684c --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'
