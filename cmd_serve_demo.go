package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/demodir"
	"github.com/carddesk/carddesk/tui/sshserve"
	"github.com/carddesk/carddesk/tui/stack"
)

// demoAgent is the name of the agent --demo generates a key for.
const demoAgent = "demo"

// runServeDemo serves the dashboard over SSH against an in-process
// sandbox, simulator and relay, to one generated supervisor key.
func runServeDemo(ctx context.Context, f serveFlags, out io.Writer) error {
	if err := f.stack.Validate(); err != nil {
		return fmt.Errorf("serve --demo: %w", err)
	}
	state, removed, err := demodir.Open("")
	if err != nil {
		return fmt.Errorf("serve --demo: %w", err)
	}
	defer state.Close()
	dir := state.Path()
	cfg := f.stack
	cfg.Dir = dir
	logger := newLogger(os.Stderr, slog.LevelWarn)
	cfg.Logger = logger
	for _, r := range removed {
		fmt.Fprintf(out, "Removed %s, left by a demo that was killed.\n", r)
	}
	keyPath, pub, err := writeDemoKey(dir)
	if err != nil {
		return fmt.Errorf("serve --demo: %w", err)
	}
	hostKey, err := sshserve.LoadOrCreateHostKey(filepath.Join(dir, "ssh_host_ed25519_key"))
	if err != nil {
		return fmt.Errorf("serve --demo: %w", err)
	}

	err = stack.With(ctx, cfg, func(ctx context.Context, r *stack.Running) error {
		b := r.Backend
		addr := f.addr
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		sc := sshserve.Config{
			Backend: b, HostKeyPEM: hostKey, Logger: logger,
			Agents: []sshserve.Agent{{Name: demoAgent, Role: backend.RoleSupervisor, Keys: []gossh.PublicKey{pub}}},
		}
		return serveSSH(ctx, sc, addr, func(ln net.Listener) {
			fmt.Fprintf(out, "carddesk serve --demo: sandbox %s, relay and SSH server running.\n", cfg.Provider)
			fmt.Fprintf(out, "Connect as the demo supervisor with:\n\n  ssh -p %s -i %s localhost\n\n", sshPort(ln), keyPath)
			fmt.Fprintln(out, "The key and all demo state are removed when this stops (ctrl+c);")
			fmt.Fprintln(out, "if it is killed instead, the next demo removes them at start.")
		})
	})
	if err != nil {
		return fmt.Errorf("serve --demo: %w", err)
	}
	return nil
}

// writeDemoKey writes a fresh ed25519 key pair (OpenSSH format, private
// key mode 0600) into dir and returns the private key's path and the
// public key.
func writeDemoKey(dir string) (string, gossh.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", nil, fmt.Errorf("generate demo key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "carddesk demo agent")
	if err != nil {
		return "", nil, fmt.Errorf("encode demo key: %w", err)
	}
	sshPub, err := gossh.NewPublicKey(pub)
	if err != nil {
		return "", nil, fmt.Errorf("demo public key: %w", err)
	}
	path := filepath.Join(dir, "demo_agent_ed25519")
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return "", nil, fmt.Errorf("write demo key: %w", err)
	}
	if err := os.WriteFile(path+".pub", gossh.MarshalAuthorizedKey(sshPub), 0o644); err != nil {
		return "", nil, fmt.Errorf("write demo key: %w", err)
	}
	return path, sshPub, nil
}
