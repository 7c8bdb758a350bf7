package vaultspay

import (
	"context"
	"fmt"
	"net/http"

	"github.com/carddesk/carddesk/api"
)

// ListUsers lists users, newest first. Query searches email, name, phone
// and id; Email and Phone match exactly.
func (c *Client) ListUsers(ctx context.Context, f api.UserFilter) (api.Page[api.User], error) {
	q, err := pageQuery(f.Page)
	if err != nil {
		return api.Page[api.User]{}, fmt.Errorf("list users: %w", err)
	}
	setIf(q, "query", f.Query)
	setIf(q, "email", f.Email)
	setIf(q, "phone", f.Phone)
	var l List[User]
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: "/users", Query: q}, &l); err != nil {
		return api.Page[api.User]{}, fmt.Errorf("list users: %w", err)
	}
	page, err := toPage(l, mapUser)
	if err != nil {
		return api.Page[api.User]{}, fmt.Errorf("list users: %w", err)
	}
	return page, nil
}

// GetUser fetches one user.
func (c *Client) GetUser(ctx context.Context, id string) (api.User, error) {
	if err := checkID("user", id); err != nil {
		return api.User{}, fmt.Errorf("get user: %w", err)
	}
	var w User
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: "/users/" + id}, &w); err != nil {
		return api.User{}, fmt.Errorf("get user %s: %w", id, err)
	}
	u, err := mapUser(w)
	if err != nil {
		return api.User{}, fmt.Errorf("get user %s: %w", id, err)
	}
	return u, nil
}

// GetKYCSession fetches one of a user's KYC sessions, for an agent who
// needs to know where a verification stands.
func (c *Client) GetKYCSession(ctx context.Context, userID, sessionID string) (KYCSession, error) {
	if err := checkID("user", userID); err != nil {
		return KYCSession{}, fmt.Errorf("get kyc session: %w", err)
	}
	if err := checkID("kyc session", sessionID); err != nil {
		return KYCSession{}, fmt.Errorf("get kyc session: %w", err)
	}
	var s KYCSession
	path := "/users/" + userID + "/kyc_sessions/" + sessionID
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: path}, &s); err != nil {
		return KYCSession{}, fmt.Errorf("get kyc session %s of user %s: %w", sessionID, userID, err)
	}
	return s, nil
}
