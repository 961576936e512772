package bench

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/panthersdk/panther-go/generated/rest"
)

// Sizes of the REST scenarios.
const (
	numRules      = 1_000
	rulesPageSize = 50
	ruleIDGet     = "AWS.CloudTrail.ConsoleLoginWithoutMFA.0042"
)

var (
	ruleLogTypes   = []string{"AWS.CloudTrail", "AWS.VPCFlow", "Okta.SystemLog", "GitHub.Audit", "GSuite.Reports", "Zoom.Operation"}
	ruleSeverities = []rest.RuleAPIRuleSeverity{"INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"}
)

// makeRules returns n rules with every field of RuleAPI.Rule set, the
// id of rule 42 being ruleIDGet.
func makeRules(n int) []rest.RuleAPIRule {
	r := rand.New(rand.NewPCG(7, 8))
	out := make([]rest.RuleAPIRule, n)
	for i := range out {
		lt := ruleLogTypes[r.IntN(len(ruleLogTypes))]
		name := fmt.Sprintf("%s.%s.%04d", lt, eventNames[r.IntN(len(eventNames))].name, i)
		if i == 42 {
			name = ruleIDGet
		}
		created := epoch.Add(-time.Duration(r.IntN(400*24)) * time.Hour)
		by := rest.RuleAPIRuleCreatedByID(hexID(r, 26))
		body := fmt.Sprintf("def rule(event):\n    return event.get('eventName') == %q and event.deep_get('userIdentity', 'type') == 'AssumedRole'\n\n\ndef title(event):\n    return f\"%s by {event.deep_get('userIdentity', 'arn')} in {event.get('recipientAccountId')}\"\n\n\ndef alert_context(event):\n    return {'ip': event.get('sourceIPAddress'), 'agent': event.get('userAgent')}\n", eventNames[i%len(eventNames)].name, name)
		resource, _ := json.Marshal(map[string]any{"eventName": eventNames[i%len(eventNames)].name, "sourceIPAddress": "198.51.100.7", "userIdentity": map[string]string{"type": "AssumedRole"}})
		out[i] = rest.RuleAPIRule{
			ID:           ptr(name),
			DisplayName:  ptr("Detects " + eventNames[i%len(eventNames)].name + " on " + lt),
			Body:         ptr(body),
			CreatedAt:    ptr(ts(created)),
			LastModified: ptr(ts(created.Add(time.Duration(r.IntN(1000)) * time.Hour))),
			CreatedBy: &struct {
				ID   *rest.RuleAPIRuleCreatedByID `json:"id,omitempty"`
				Type *string                      `json:"type,omitempty"`
			}{ID: &by, Type: ptr("USER")},
			CreatedByExternal:  ptr("panther-analysis-tool"),
			DedupPeriodMinutes: ptr(int64(60 * (1 + r.IntN(24)))),
			Threshold:          ptr(int64(1 + r.IntN(10))),
			Description:        ptr("Fires when " + eventNames[i%len(eventNames)].name + " happens without the controls the security team requires."),
			Runbook:            ptr("Check whether the principal is expected to do this; if not, disable its credentials and open an incident."),
			Enabled:            ptr(r.IntN(5) != 0),
			Managed:            ptr(r.IntN(3) == 0),
			InlineFilters:      ptr(""),
			LogTypes:           &[]string{lt},
			OutputIDs:          &[]string{hexID(r, 8) + "-" + hexID(r, 4)},
			Reports:            &map[string][]string{"MITRE ATT&CK": {"TA0001:T1078", "TA0004:T1548"}, "CIS": {strconv.Itoa(1+r.IntN(5)) + "." + strconv.Itoa(1+r.IntN(20))}},
			Severity:           &ruleSeverities[r.IntN(len(ruleSeverities))],
			SummaryAttributes:  &[]string{"sourceIPAddress", "userIdentity:arn", "recipientAccountId"},
			Tags:               &[]string{"AWS", "Identity & Access Management", "Initial Access"},
			Tests: &[]rest.RuleAPIUnitTest{
				{Name: "matching event", ExpectedResult: true, Resource: string(resource)},
				{Name: "other event", ExpectedResult: false, Resource: `{"eventName":"DescribeInstances"}`, Mocks: &[]rest.RuleAPIUnitTestMock{{"objectName": "is_allowed", "returnValue": "false"}}},
			},
		}
	}
	return out
}

// rulePages splits rules into rule#list response bodies of pageSize
// rules. Page i (0-based) is asked for with cursor strconv.Itoa(i); the
// first page with no cursor.
func rulePages(rules []rest.RuleAPIRule, pageSize int) [][]byte {
	var pages [][]byte
	for start := 0; start < len(rules); start += pageSize {
		end := min(start+pageSize, len(rules))
		page := rules[start:end]
		resp := rest.RuleAPIListResp{Results: &page}
		if end < len(rules) {
			resp.Next = ptr(strconv.Itoa(len(pages) + 1))
		}
		pages = append(pages, mustJSON(resp))
	}
	return pages
}
