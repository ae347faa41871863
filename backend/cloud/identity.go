package cloud

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// LoadConfig reads the standard AWS chain (environment, shared config and credentials files,
// SSO, instance roles) with an optional region and profile. AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_<SERVICE> are honoured by the SDK itself.
func LoadConfig(ctx context.Context, region, profile string) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return cfg, explain(err, profile)
	}
	return cfg, nil
}

// Identity is who the AWS chain signs in as.
type Identity struct {
	Account string `json:"account"`
	ARN     string `json:"arn"`
	UserID  string `json:"userId"`
	Region  string `json:"region"`
}

// WhoAmI asks STS who the configured credentials belong to.
func WhoAmI(ctx context.Context, cfg aws.Config) (Identity, error) {
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Identity{}, explain(err, "")
	}
	return Identity{Account: aws.ToString(out.Account), ARN: aws.ToString(out.Arn), UserID: aws.ToString(out.UserId), Region: cfg.Region}, nil
}

// Configured says whether the machine has any AWS setup worth asking about.
func Configured() bool {
	for _, v := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		if os.Getenv(v) != "" {
			return true
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return false
	}
	for _, f := range []string{".aws/config", ".aws/credentials"} {
		if _, err := os.Stat(home + "/" + f); err == nil {
			return true
		}
	}
	return false
}

// SSOExpired recognises an SSO session that expired or was never started, through
// either kind of SSO profile (legacy start URL or sso-session).
func SSOExpired(err error) bool {
	var inv *ssocreds.InvalidTokenError
	if errors.As(err, &inv) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "refresh cached SSO token") || strings.Contains(msg, "SSO session has expired") ||
		strings.Contains(msg, "cached SSO token is expired") || strings.Contains(msg, "token has expired")
}

// explain turns the SDK's credential errors into what a writer can do about them.
func explain(err error, profile string) error {
	msg := err.Error()
	p := profile
	if p == "" {
		p = os.Getenv("AWS_PROFILE")
	}
	login := "aws sso login"
	if p != "" {
		login += " --profile " + p
	}
	switch {
	case SSOExpired(err):
		return fmt.Errorf("the AWS SSO session has expired or was never started: run `%s` and try again: %w", login, err)
	case strings.Contains(msg, "failed to get shared config profile"):
		return fmt.Errorf("AWS profile %q is not in ~/.aws/config: run `aws configure sso` or pick another profile: %w", p, err)
	case strings.Contains(msg, "no EC2 IMDS role found") || strings.Contains(msg, "failed to refresh cached credentials") || errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("no AWS credentials found: sign in with `%s`, or set AWS_PROFILE / AWS_ACCESS_KEY_ID: %w", login, err)
	}
	return err
}
