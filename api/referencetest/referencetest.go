// Package referencetest gives tests the providers' references — the only
// data in this repository that no one here wrote (DESIGN §3) — and the JSON
// examples in them, verbatim.
//
// The references sit beside the repository, in shared/references (its
// parent's, or its parent's parent's for a worktree one level down), or in
// the directory CARDDESK_REFERENCES names. A test that cannot find them
// fails: a fixture that silently went missing would prove nothing.
package referencetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Reference file names.
const (
	VaultsPay = "vaultspay-api-reference.txt"
	Vydapay   = "vydapay-api-reference.txt"
)

// Read returns a reference's text, failing the test when it cannot.
func Read(t testing.TB, name string) string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatalf("reference %s: %v", name, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("reference %s: %v", name, err)
	}
	return string(b)
}

// Dir finds the references' directory.
func Dir() (string, error) {
	if d := os.Getenv("CARDDESK_REFERENCES"); d != "" {
		return d, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	for _, up := range []string{"..", filepath.Join("..", "..")} {
		d := filepath.Join(root, up, "shared", "references")
		if _, err := os.Stat(filepath.Join(d, Vydapay)); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no shared/references beside the repository (set CARDDESK_REFERENCES to its directory)")
}

// moduleRoot is the directory holding go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the repository: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find the repository: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Example is one JSON example of a reference.
type Example struct {
	// Title is the line above the example ("Card Object").
	Title string
	// Line is the example's first line, counted from 1.
	Line int
	// Text is the example as the reference prints it.
	Text string
}

// Elided reports whether the example leaves part of itself out ("...",
// "// ... full transaction object"): it is then not JSON as printed.
func (e Example) Elided() bool { return strings.Contains(e.Text, "...") }

// Examples finds every JSON example in a reference: each block that opens
// with a "{" alone on a line at the margin and closes with the first "}"
// alone at the margin after it, and each JSON body a curl command sends
// with -d '…'.
func Examples(text string) []Example {
	lines := strings.Split(text, "\n")
	var out []Example
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		switch {
		case line == "{":
			for j := i + 1; j < len(lines); j++ {
				if strings.TrimRight(lines[j], "\r") == "}" {
					out = append(out, Example{Title: title(lines, i), Line: i + 1, Text: strings.Join(lines[i:j+1], "\n")})
					i = j
					break
				}
			}
		case strings.HasSuffix(strings.TrimSpace(line), "-d '{"):
			body := []string{"{"}
			for j := i + 1; j < len(lines); j++ {
				l := strings.TrimRight(lines[j], "\r")
				if strings.TrimSpace(l) == "}'" {
					body = append(body, "}")
					out = append(out, Example{Title: title(lines, i), Line: i + 1, Text: strings.Join(body, "\n")})
					i = j
					break
				}
				body = append(body, l)
			}
		}
	}
	return out
}

// title is the nearest line above line i that is not code: the example's
// caption.
func title(lines []string, i int) string {
	for k := i - 1; k >= 0; k-- {
		l := strings.TrimSpace(lines[k])
		if l != "" && !strings.HasPrefix(l, "curl") && !strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return ""
}

var (
	commentLine   = regexp.MustCompile(`(?m)^\s*//.*$`)
	ellipsis      = regexp.MustCompile(`,\s*\.\.\.`)
	trailingComma = regexp.MustCompile(`,(\s*[}\]])`)
)

// Unelide makes an elided example JSON by taking its elisions out — the
// "..." that stands for the rest of an object, a "// ..." comment — and
// nothing else. What is left is the example's own fields.
func Unelide(example string) string {
	s := commentLine.ReplaceAllString(example, "")
	s = ellipsis.ReplaceAllString(s, "")
	return trailingComma.ReplaceAllString(s, "$1")
}

// Complete fills an object the reference elided with the fields of the
// reference's full example of that object that it lacks: what "..." in
// the reference stands for. Fields the elided object has keep its values.
func Complete(partial map[string]any, full string) (map[string]any, error) {
	var whole map[string]any
	if err := json.Unmarshal([]byte(full), &whole); err != nil {
		return nil, fmt.Errorf("complete an elided example: %w", err)
	}
	for k, v := range whole {
		if _, ok := partial[k]; !ok {
			partial[k] = v
		}
	}
	return partial, nil
}
