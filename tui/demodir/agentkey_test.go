package demodir

import (
	"os"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// The demo agent's private key is readable by its owner only, and its
// public half, beside it, is the key returned.
func TestWriteAgentKey(t *testing.T) {
	path, pub, err := WriteAgentKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key: %v, mode %v; want 0600", err, fi.Mode())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.ParsePrivateKey(raw)
	if err != nil {
		t.Fatalf("private key: %v", err)
	}
	line, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	onDisk, _, _, _, err := gossh.ParseAuthorizedKey(line)
	if err != nil {
		t.Fatalf("public key: %v", err)
	}
	for _, k := range []gossh.PublicKey{signer.PublicKey(), onDisk} {
		if string(k.Marshal()) != string(pub.Marshal()) {
			t.Errorf("a key on disk is not the one returned")
		}
	}
}
