package api

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api/safetext/safetexttest"
)

// TestDescribeJSONHostile: a number that does not fit its field is named by
// its kind, never quoted, since it may be a card number.
func TestDescribeJSONHostile(t *testing.T) {
	pan := safetexttest.PANTight(21)
	var out struct {
		Month int    `json:"exp_month"`
		Small uint8  `json:"small"`
		Name  string `json:"name"`
	}
	for _, body := range []string{
		`{"exp_month":` + pan + `.5}`,
		`{"small":` + pan + `}`,
		`{"exp_month":"` + pan + `"}`,
		`{"name":` + pan + `}`,
	} {
		err := json.Unmarshal([]byte(body), &out)
		if err == nil {
			t.Fatalf("%s decoded", body)
		}
		msg := DescribeJSON(err, len(body)).Error()
		if p := safetexttest.CardNumbers(msg, []string{safetexttest.PAN(21)}); len(p) > 0 || strings.Contains(msg, pan[:12]) {
			t.Errorf("DescribeJSON of %s = %q: %v", body, msg, p)
		}
		if !strings.Contains(msg, "field") {
			t.Errorf("DescribeJSON of %s = %q does not name the field", body, msg)
		}
	}
}
