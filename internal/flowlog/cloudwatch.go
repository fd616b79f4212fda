package flowlog

import (
	"bytes"
	"encoding/json"
	"time"
)

// mode says how a file's lines hold records.
type mode uint8

const (
	// modePlain lines are records.
	modePlain mode = iota
	// modeJSON lines are JSON objects whose "message" member is a record
	// (CloudWatch Logs events, as `aws logs` and subscriptions print them).
	modeJSON
	// modeStamped lines are "TIMESTAMP RECORD", as a CloudWatch Logs
	// export task writes them to S3.
	modeStamped
)

var messageKey = []byte(`"message"`)

// jsonMessage returns the "message" member of a JSON object line.
func jsonMessage(line []byte) ([]byte, bool) {
	if i := bytes.Index(line, messageKey); i >= 0 {
		rest := bytes.TrimLeft(line[i+len(messageKey):], " \t")
		if len(rest) > 0 && rest[0] == ':' {
			rest = bytes.TrimLeft(rest[1:], " \t")
			if len(rest) > 0 && rest[0] == '"' {
				rest = rest[1:]
				for j, c := range rest {
					if c == '\\' {
						break
					}
					if c == '"' {
						return rest[:j], true
					}
				}
			}
		}
	}
	var ev struct {
		Message *string `json:"message"`
	}
	if err := json.Unmarshal(line, &ev); err != nil || ev.Message == nil {
		return nil, false
	}
	return []byte(*ev.Message), true
}

// stampEnd returns the length of a leading RFC 3339 timestamp and the space
// after it, or 0.
func stampEnd(line []byte) int {
	sp := bytes.IndexByte(line, ' ')
	if sp < 20 || sp > 40 || line[4] != '-' || line[10] != 'T' {
		return 0
	}
	if _, err := time.Parse(time.RFC3339Nano, string(line[:sp])); err != nil {
		return 0
	}
	return sp + 1
}
