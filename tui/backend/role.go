package backend

import (
	"fmt"
	"strings"
)

// Role is what an agent may do: viewers read, agents also freeze, unfreeze
// and activate, supervisors also reveal and terminate.
type Role string

// Roles, from least to most trusted.
const (
	RoleViewer     Role = "viewer"
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
)

// ParseRole reads a role as the config names it, ignoring case and
// surrounding space.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleViewer, RoleAgent, RoleSupervisor:
		return r, nil
	}
	return "", fmt.Errorf("role %q: want viewer, agent or supervisor", s)
}

// Action is something an agent asks of the backend: a card action, or
// reading the audit log.
type Action string

// Card actions.
const (
	ActionFreeze    Action = "freeze"
	ActionUnfreeze  Action = "unfreeze"
	ActionActivate  Action = "activate"
	ActionReveal    Action = "reveal"
	ActionTerminate Action = "terminate"
	// ActionReadAudit is reading the audit log (:audit). It is no card
	// action (Actions leaves it out), but its refusals are recorded as
	// theirs are.
	ActionReadAudit Action = "audit"
)

// Actions lists every card action, in the order the dashboard offers them.
func Actions() []Action {
	return []Action{ActionFreeze, ActionUnfreeze, ActionActivate, ActionReveal, ActionTerminate}
}

// phrase is what the action does, as a sentence ends it.
func (a Action) phrase() string {
	switch a {
	case ActionReveal:
		return "reveal card numbers"
	case ActionReadAudit:
		return "read the audit log"
	case ActionFreeze, ActionUnfreeze, ActionActivate, ActionTerminate:
		return string(a) + " cards"
	}
	return fmt.Sprintf("do %q", string(a))
}

// noun names the action as a thing under way ("an earlier freeze").
func (a Action) noun() string {
	switch a {
	case ActionActivate:
		return "activation"
	case ActionTerminate:
		return "termination"
	}
	return string(a)
}

// Can reports whether the role may take the action, and why not in words an
// agent understands ("your role (viewer) cannot freeze cards").
func (r Role) Can(a Action) (bool, string) {
	var allowed bool
	switch a {
	case ActionFreeze, ActionUnfreeze, ActionActivate:
		allowed = r == RoleAgent || r == RoleSupervisor
	case ActionReveal, ActionTerminate, ActionReadAudit:
		allowed = r == RoleSupervisor
	default:
		return false, fmt.Sprintf("%q is not a card action", string(a))
	}
	switch r {
	case RoleViewer, RoleAgent, RoleSupervisor:
	default:
		return false, fmt.Sprintf("your role (%q) is not one carddesk knows, so it cannot %s", string(r), a.phrase())
	}
	if !allowed {
		return false, fmt.Sprintf("your role (%s) cannot %s", r, a.phrase())
	}
	return true, ""
}

// Actor is who asks for an action. It travels with every action so that the
// role is enforced where the action executes and the audit log knows who.
type Actor struct {
	Agent       string // the agent's name from the config (or the local user)
	Fingerprint string // the SSH key's fingerprint; empty for a local session
	Session     string // the session's id
	Role        Role
}
