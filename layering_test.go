package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// module is this module's path, the prefix of its own imports.
const module = "github.com/carddesk/carddesk"

// layerRule forbids packages matching from to import packages matching
// to, unless the importer is one of allow. Paths are relative to the
// module ("" is the root, package main); a trailing "/..." matches the
// package and everything under it.
type layerRule struct {
	why   string
	from  []string
	to    []string
	allow []string
}

// layering is DESIGN.md's table of who may import whom, for the
// packages' own (non-test) files.
func layering() []layerRule {
	return []layerRule{
		{why: "api owns the domain and imports nothing of ours outside api/…",
			from: []string{"api/..."}, to: []string{"live/...", "tui/...", ""}},
		{why: "escape stripping, secret files and the benchmarks' statistics are leaves",
			from: []string{"api/safetext/...", "api/secretfile", "api/stats"}, to: []string{"api/...", "live/...", "tui/..."},
			allow: []string{"api/safetext/safetexttest"}},
		{why: "serving HTTP gracefully knows only the domain: the relay, the sandbox and the stack all use it",
			from: []string{"api/httpserve"}, to: []string{"api/sandbox/...", "api/vaultspay", "api/vydapay"}},
		{why: "a dialect knows only the domain, not the other dialect or the sandbox",
			from: []string{"api/vaultspay"}, to: []string{"api/vydapay", "api/sandbox/..."}},
		{why: "a dialect knows only the domain, not the other dialect or the sandbox",
			from: []string{"api/vydapay"}, to: []string{"api/vaultspay", "api/sandbox/..."}},
		{why: "the relay never imports the dashboard or the sandbox",
			from: []string{"live/..."}, to: []string{"tui/...", "api/sandbox/..."}},
		{why: "nothing imports the dashboard but main and the packages under tui/ that run it",
			from: []string{"api/...", "live/...", "tui/backend/...", "tui/monitor/...", "tui/demodir/...", "tui/stack/..."}, to: []string{"tui"}},
		{why: "what sessions share sits below the dashboard and the SSH server",
			from: []string{"tui/backend/...", "tui/monitor/...", "tui/demodir/..."}, to: []string{"tui/sshserve/..."}},
		{why: "the sandbox is assembled only by the commands and the in-process stack (and tests)",
			from: []string{"..."}, to: []string{"api/sandbox/..."}, allow: []string{"api/sandbox/...", "tui/stack"}},
		{why: "the in-process stack, the benchmark engines and the local terminal sit on top: only the commands (and tests) assemble them",
			from: []string{"..."}, to: []string{"tui/stack/...", "tui/bench/...", "tui/console/..."}, allow: []string{"tui/bench/..."}},
		{why: "the configuration file is read by the commands, which hand each part its settings",
			from: []string{"..."}, to: []string{"tui/config/..."}},
	}
}

// TestLayering walks every package's imports and fails on an edge the
// design forbids.
func TestLayering(t *testing.T) {
	graph, err := importGraph(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(graph) < 10 {
		t.Fatalf("read only %d packages: the walk is broken", len(graph))
	}
	for _, v := range checkLayering(graph, layering()) {
		t.Error(v)
	}
}

// The checker finds a forbidden edge and lets an allowed one pass, so that
// a green TestLayering means something.
func TestLayeringChecker(t *testing.T) {
	tests := []struct {
		name  string
		graph map[string][]string
		bad   int
	}{
		{"clean", map[string][]string{"": {"tui", "api"}, "tui": {"api", "live"}, "live": {"api"}, "api": nil}, 0},
		{"api imports the relay", map[string][]string{"api": {"live"}}, 1},
		{"the relay imports the dashboard", map[string][]string{"live/sqlitestore": {"tui/backend"}}, 1},
		{"the backend imports the dashboard", map[string][]string{"tui/backend": {"tui"}}, 1},
		{"the dashboard imports the sandbox", map[string][]string{"tui": {"api/sandbox"}}, 1},
		{"the faults front imports the sandbox", map[string][]string{"api/sandbox/faults": {"api/sandbox"}}, 0},
		{"the stack imports the sandbox", map[string][]string{"tui/stack": {"api/sandbox", "api/sandbox/faults", "tui/backend"}}, 0},
		{"the benchmarks import the stack", map[string][]string{"tui/bench": {"tui/stack", "tui/sshserve"}}, 0},
		{"the backend imports the stack", map[string][]string{"tui/backend": {"tui/stack"}}, 1},
		{"the dashboard imports the benchmarks", map[string][]string{"tui": {"tui/bench"}}, 1},
		{"the stack imports the dashboard", map[string][]string{"tui/stack": {"tui"}}, 1},
		{"the backend reads the configuration", map[string][]string{"tui/backend": {"tui/config"}}, 1},
		{"the configuration builds the keymap and the agents", map[string][]string{"tui/config": {"tui", "tui/sshserve", "api/vydapay", "live"}}, 0},
		{"a dialect imports the other", map[string][]string{"api/vydapay": {"api/vaultspay"}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkLayering(tc.graph, layering()); len(got) != tc.bad {
				t.Errorf("%d violations %v, want %d", len(got), got, tc.bad)
			}
		})
	}
}

// checkLayering lists the edges of graph that rules forbid.
func checkLayering(graph map[string][]string, rules []layerRule) []string {
	var out []string
	pkgs := make([]string, 0, len(graph))
	for p := range graph {
		pkgs = append(pkgs, p)
	}
	slices.Sort(pkgs)
	for _, from := range pkgs {
		for _, to := range graph[from] {
			for _, r := range rules {
				if matchAny(from, r.from) && matchAny(to, r.to) && !matchAny(from, r.allow) && from != to {
					out = append(out, strconv.Quote(from)+" imports "+strconv.Quote(to)+": "+r.why)
				}
			}
		}
	}
	return out
}

func matchAny(pkg string, patterns []string) bool {
	for _, p := range patterns {
		switch {
		case p == "...":
			if pkg != "" {
				return true
			}
		case strings.HasSuffix(p, "/..."):
			base := strings.TrimSuffix(p, "/...")
			if pkg == base || strings.HasPrefix(pkg, base+"/") {
				return true
			}
		case pkg == p:
			return true
		}
	}
	return false
}

// importGraph reads the imports of every package's non-test files under
// root: module-relative package path → the module's packages it imports.
func importGraph(root string) (map[string][]string, error) {
	graph := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		if pkg == "." {
			pkg = ""
		}
		if _, ok := graph[pkg]; !ok {
			graph[pkg] = nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p != module && !strings.HasPrefix(p, module+"/") {
				continue
			}
			rel := strings.TrimPrefix(strings.TrimPrefix(p, module), "/")
			if !slices.Contains(graph[pkg], rel) {
				graph[pkg] = append(graph[pkg], rel)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return nil, err
	}
	return graph, nil
}
