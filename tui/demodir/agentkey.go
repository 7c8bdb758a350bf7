package demodir

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// WriteAgentKey writes a fresh ed25519 key pair for the demo's agent
// (OpenSSH format, private key mode 0600) into dir and returns the private
// key's path and the public key: serve --demo prints how to connect with it,
// and it goes with the directory.
func WriteAgentKey(dir string) (string, gossh.PublicKey, error) {
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
