package referencetest

import (
	"encoding/json"
	"testing"
)

// The examples found in each reference: their captions and whether they
// are JSON as printed. A reference that gains or loses an example fails
// here, so that the dialects' fixture tests are looked at again.
func TestExamplesFound(t *testing.T) {
	tests := []struct {
		name   string
		titles []string
		elided []bool
	}{
		// The VaultsPay reference is its resource index and conventions:
		// it prints no JSON at all.
		{VaultsPay, nil, nil},
		{Vydapay, []string{"Error Response", "Paginated Response", "Card Object", "Create a Virtual Card", "Transaction Object", "Webhook Event", "Response"},
			[]bool{false, true, false, false, false, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exs := Examples(Read(t, tt.name))
			if len(exs) != len(tt.titles) {
				for _, e := range exs {
					t.Logf("line %d %q", e.Line, e.Title)
				}
				t.Fatalf("%d examples, want %d", len(exs), len(tt.titles))
			}
			for i, e := range exs {
				if e.Title != tt.titles[i] || e.Elided() != tt.elided[i] {
					t.Errorf("example %d (line %d): %q elided %v, want %q %v", i, e.Line, e.Title, e.Elided(), tt.titles[i], tt.elided[i])
				}
				text := e.Text
				if e.Elided() {
					text = Unelide(text)
				}
				if !json.Valid([]byte(text)) {
					t.Errorf("example %d (line %d) is not JSON:\n%s", i, e.Line, text)
				}
			}
		})
	}
}
