package awsapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// failure is why a call failed, as a gap states it.
type failure struct {
	reason string
	// region is true when the whole region cannot be read (not enabled).
	region bool
}

// Error codes that say the caller may not make the call.
var deniedCodes = map[string]bool{
	"AccessDenied":                 true,
	"AccessDeniedException":        true,
	"UnauthorizedOperation":        true,
	"Client.UnauthorizedOperation": true,
	"UnauthorizedAccess":           true,
	"AuthorizationError":           true,
}

// Error codes that EC2 answers in an opt-in region the account has not
// enabled.
var notEnabledCodes = map[string]bool{
	"AuthFailure":   true,
	"OptInRequired": true,
}

// explain turns a call's error into a gap reason; ctx is the collection's
// context, to tell a cancellation from a failure.
func explain(ctx context.Context, err error) failure {
	attempts := ""
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) {
		attempts = fmt.Sprintf(" after %d attempts", maxErr.Attempt)
	}
	var quota ratelimit.QuotaExceededError
	if errors.As(err, &quota) {
		attempts = " after the retry quota ran out"
	}
	var callTimeout *callTimeoutError
	switch {
	case errors.Is(ctx.Err(), context.Canceled) || errors.Is(err, context.Canceled):
		return failure{reason: "cancelled"}
	case errors.As(err, &callTimeout):
		return failure{reason: fmt.Sprintf("timed out after %s", callTimeout.timeout)}
	case ctx.Err() != nil:
		return failure{reason: "stopped: " + context.Cause(ctx).Error()}
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		code := apiErr.ErrorCode()
		switch {
		case notEnabledCodes[code]:
			return failure{reason: fmt.Sprintf("region not enabled for this account (%s: %s)", code, message(apiErr)), region: true}
		case deniedCodes[code]:
			return failure{reason: fmt.Sprintf("access denied (%s: %s)", code, message(apiErr))}
		case isThrottle(code):
			return failure{reason: fmt.Sprintf("throttled past the retry budget (%s%s)", code, attempts)}
		}
		if status := httpStatus(err); status >= 500 {
			return failure{reason: fmt.Sprintf("service error%s (HTTP %d %s: %s)", attempts, status, code, message(apiErr))}
		}
		return failure{reason: fmt.Sprintf("%s: %s%s", code, message(apiErr), attempts)}
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return failure{reason: "timed out" + attempts + " (no answer within the attempt timeout)"}
	}
	var sendErr interface{ ConnectionError() bool }
	if errors.As(err, &sendErr) && sendErr.ConnectionError() {
		return failure{reason: "connection failed" + attempts + ": " + rootMessage(err)}
	}
	return failure{reason: rootMessage(err) + attempts}
}

// isThrottle reports whether code is one of the SDK's throttling codes.
func isThrottle(code string) bool {
	_, ok := retry.DefaultThrottleErrorCodes[code]
	return ok
}

// httpStatus returns the HTTP status of the answer that failed, or 0.
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// message shortens an API error message: EC2's encoded authorization
// failure message is left out, and long messages are cut.
func message(err smithy.APIError) string {
	m := err.ErrorMessage()
	if i := strings.Index(m, " Encoded authorization failure message:"); i >= 0 {
		m = m[:i]
	}
	const max = 200
	if len(m) > max {
		m = m[:max] + "…"
	}
	return strings.TrimSpace(m)
}

// rootMessage is the message of the innermost error, without the SDK's
// operation and attempt wrappers.
func rootMessage(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
