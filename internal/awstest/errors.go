package awstest

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
)

// APIError is an error answer: the HTTP status and the service's error
// code and message.
type APIError struct {
	Status  int
	Code    string
	Message string
}

// Error returns "Code: Message".
func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// writeError writes e in the error shape of the request's protocol.
func writeError(w http.ResponseWriter, req *request, e *APIError) {
	service := ""
	if req != nil {
		service = req.service
	}
	switch service {
	case "organizations":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-Errortype", e.Code)
		w.WriteHeader(e.Status)
		json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "Message": e.Message})
	case "iam", "sts":
		kind := "Sender"
		if e.Status >= 500 {
			kind = "Receiver"
		}
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(e.Status)
		var b strings.Builder
		b.WriteString(`<ErrorResponse xmlns="` + namespaces[service] + `"><Error><Type>` + kind + `</Type><Code>`)
		xml.EscapeText(&b, []byte(e.Code))
		b.WriteString(`</Code><Message>`)
		xml.EscapeText(&b, []byte(e.Message))
		b.WriteString(`</Message></Error><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>`)
		w.Write([]byte(b.String()))
	default:
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.WriteHeader(e.Status)
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Response><Errors><Error><Code>`)
		xml.EscapeText(&b, []byte(e.Code))
		b.WriteString(`</Code><Message>`)
		xml.EscapeText(&b, []byte(e.Message))
		b.WriteString(`</Message></Error></Errors><RequestID>00000000-0000-4000-8000-000000000000</RequestID></Response>`)
		w.Write([]byte(b.String()))
	}
}

// namespaces are the XML namespaces of the query protocols' answers.
var namespaces = map[string]string{
	"ec2": "http://ec2.amazonaws.com/doc/2016-11-15/",
	"iam": "https://iam.amazonaws.com/doc/2010-05-08/",
	"sts": "https://sts.amazonaws.com/doc/2011-06-15/",
}

// badParam is EC2's answer to an invalid parameter value.
func badParam(msg string) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: "InvalidParameterValue", Message: msg}
}
