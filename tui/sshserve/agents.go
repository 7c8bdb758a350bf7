package sshserve

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/tui/backend"
)

// Agent is one person allowed in: a name, a role and the keys they may
// authenticate with.
type Agent struct {
	Name string
	Role backend.Role
	Keys []gossh.PublicKey
}

// NewAgent checks an agent as the configuration gives it: a name, a role
// and one or more authorized_keys lines.
func NewAgent(name, role string, keys []string) (Agent, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Agent{}, errors.New("agent with no name")
	}
	r, err := backend.ParseRole(role)
	if err != nil {
		return Agent{}, fmt.Errorf("agent %s: %w", name, err)
	}
	if len(keys) == 0 {
		return Agent{}, fmt.Errorf("agent %s: no keys", name)
	}
	a := Agent{Name: name, Role: r}
	for i, line := range keys {
		k, err := ParseKey(line)
		if err != nil {
			return Agent{}, fmt.Errorf("agent %s: key %d: %w", name, i+1, err)
		}
		a.Keys = append(a.Keys, k)
	}
	return a, nil
}

// ParseKey reads one authorized_keys line ("ssh-ed25519 AAAA… comment"),
// options included. Certificates are refused: carddesk trusts keys, not
// certificate authorities.
func ParseKey(line string) (gossh.PublicKey, error) {
	line = strings.TrimSpace(line)
	if line == "" {
		return nil, errors.New("empty key")
	}
	k, _, _, rest, err := gossh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return nil, fmt.Errorf("want one authorized_keys line such as \"ssh-ed25519 AAAA… name\": %w", err)
	}
	if len(strings.TrimSpace(string(rest))) > 0 {
		return nil, errors.New("more than one key on the line")
	}
	if _, isCert := k.(*gossh.Certificate); isCert {
		return nil, errors.New("certificates are not accepted; give the plain public key")
	}
	return k, nil
}

// roster finds the agent a key belongs to.
type roster []Agent

// lookup is the agent holding k, compared with ssh.KeysEqual (constant
// time), or false.
func (r roster) lookup(k ssh.PublicKey) (Agent, bool) {
	if k == nil {
		return Agent{}, false
	}
	for _, a := range r {
		for _, ak := range a.Keys {
			if ssh.KeysEqual(k, ak) {
				return a, true
			}
		}
	}
	return Agent{}, false
}

// check refuses a roster with duplicate names or a key held by two agents
// (the role would then depend on the order).
func (r roster) check() error {
	if len(r) == 0 {
		return errors.New("no agents configured")
	}
	names := map[string]bool{}
	for i, a := range r {
		if names[a.Name] {
			return fmt.Errorf("agent %s listed twice", a.Name)
		}
		names[a.Name] = true
		if _, err := backend.ParseRole(string(a.Role)); err != nil {
			return fmt.Errorf("agent %s: %w", a.Name, err)
		}
		if len(a.Keys) == 0 {
			return fmt.Errorf("agent %s: no keys", a.Name)
		}
		for _, k := range a.Keys {
			for _, other := range r[i+1:] {
				if _, ok := (roster{other}).lookup(k); ok {
					return fmt.Errorf("agents %s and %s share a key", a.Name, other.Name)
				}
			}
		}
	}
	return nil
}
