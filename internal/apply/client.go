package apply

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// EC2 is the part of the EC2 API that apply and rollback call.
type EC2 interface {
	DescribeSecurityGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput, opts ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error)
	AuthorizeSecurityGroupIngress(ctx context.Context, in *ec2.AuthorizeSecurityGroupIngressInput, opts ...func(*ec2.Options)) (*ec2.AuthorizeSecurityGroupIngressOutput, error)
	AuthorizeSecurityGroupEgress(ctx context.Context, in *ec2.AuthorizeSecurityGroupEgressInput, opts ...func(*ec2.Options)) (*ec2.AuthorizeSecurityGroupEgressOutput, error)
	RevokeSecurityGroupIngress(ctx context.Context, in *ec2.RevokeSecurityGroupIngressInput, opts ...func(*ec2.Options)) (*ec2.RevokeSecurityGroupIngressOutput, error)
	RevokeSecurityGroupEgress(ctx context.Context, in *ec2.RevokeSecurityGroupEgressInput, opts ...func(*ec2.Options)) (*ec2.RevokeSecurityGroupEgressOutput, error)
	UpdateSecurityGroupRuleDescriptionsIngress(ctx context.Context, in *ec2.UpdateSecurityGroupRuleDescriptionsIngressInput, opts ...func(*ec2.Options)) (*ec2.UpdateSecurityGroupRuleDescriptionsIngressOutput, error)
	UpdateSecurityGroupRuleDescriptionsEgress(ctx context.Context, in *ec2.UpdateSecurityGroupRuleDescriptionsEgressInput, opts ...func(*ec2.Options)) (*ec2.UpdateSecurityGroupRuleDescriptionsEgressOutput, error)
}

// Clients returns the EC2 client for an account and region ("" for the
// credentials' own account).
type Clients interface {
	EC2(ctx context.Context, account, region string) (EC2, error)
}

// ClientOptions say how to reach accounts other than the credentials'
// own.
type ClientOptions struct {
	// Roles maps an account to the role ARN to assume in it.
	Roles map[string]string
	// OrgRole is a role name assumed in any other account
	// (arn:aws:iam::ACCOUNT:role/NAME).
	OrgRole string
	// DefaultRegion is used for groups whose plan names no region.
	DefaultRegion string
}

// NewClients returns clients built from cfg. The SDK's own retries are
// turned off: apply retries itself, re-reading the group after an
// ambiguous failure.
func NewClients(cfg aws.Config, opts ClientOptions) Clients {
	return &sdkClients{cfg: cfg, opts: opts, clients: map[[2]string]EC2{}}
}

type sdkClients struct {
	cfg  aws.Config
	opts ClientOptions

	mu      sync.Mutex
	base    string // the credentials' account, once asked
	clients map[[2]string]EC2
}

func (c *sdkClients) EC2(ctx context.Context, account, region string) (EC2, error) {
	if region == "" {
		region = c.opts.DefaultRegion
	}
	if region == "" {
		region = c.cfg.Region
	}
	if region == "" {
		return nil, fmt.Errorf("no region for the groups of account %s: name one with --region", account)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl := c.clients[[2]string{account, region}]; cl != nil {
		return cl, nil
	}
	cfg, err := c.accountConfig(ctx, account)
	if err != nil {
		return nil, err
	}
	cl := ec2.NewFromConfig(cfg, func(o *ec2.Options) {
		o.Region = region
		o.RetryMaxAttempts = 1
	})
	c.clients[[2]string{account, region}] = cl
	return cl, nil
}

// accountConfig returns the configuration for account: the base one for
// the credentials' own account, else one that assumes the account's role.
func (c *sdkClients) accountConfig(ctx context.Context, account string) (aws.Config, error) {
	if account == "" {
		return c.cfg, nil
	}
	role := c.opts.Roles[account]
	if role == "" {
		if c.base == "" {
			out, err := sts.NewFromConfig(c.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil {
				return aws.Config{}, fmt.Errorf("sts:GetCallerIdentity: %w", err)
			}
			c.base = aws.ToString(out.Account)
		}
		if account == c.base {
			return c.cfg, nil
		}
		if c.opts.OrgRole == "" {
			return aws.Config{}, fmt.Errorf("no credentials for account %s (the credentials are account %s): add --role-arn for it", account, c.base)
		}
		role = "arn:aws:iam::" + account + ":role/" + c.opts.OrgRole
	}
	cfg := c.cfg.Copy()
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(c.cfg), role, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "sgharden-apply"
	}))
	return cfg, nil
}
