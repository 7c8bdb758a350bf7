package backend

import (
	"context"
	"fmt"

	"github.com/carddesk/carddesk/api"
)

// Reads are served from the cache while younger than the TTL; otherwise
// identical reads in flight at once share one call to the provider. Errors
// are never cached. The provider's errors come back as its client wrapped
// them; a caller whose ctx ends while waiting gets ctx's error.

// ListUsers lists users matching f.
func (b *Backend) ListUsers(ctx context.Context, f api.UserFilter) (api.Page[api.User], error) {
	key := userListKey(f)
	if p, ok := b.cache.userList(key); ok {
		return p, nil
	}
	p, err := shared(ctx, &b.flights, key, func(ctx context.Context) (api.Page[api.User], error) {
		p, err := b.client.ListUsers(ctx, f)
		if err != nil {
			return p, err
		}
		return b.cache.putUserList(key, p), nil
	})
	return cloneItems(p), waited(err, "list users")
}

// GetUser fetches one user.
func (b *Backend) GetUser(ctx context.Context, id string) (api.User, error) {
	if u, ok := b.cache.user(id); ok {
		return u, nil
	}
	u, err := shared(ctx, &b.flights, keyOf("GetUser", id), func(ctx context.Context) (api.User, error) {
		u, err := b.client.GetUser(ctx, id)
		if err != nil {
			return u, err
		}
		return b.cache.putUser(u), nil
	})
	return u, waited(err, "get user "+id)
}

// ListAccounts lists a user's accounts.
func (b *Backend) ListAccounts(ctx context.Context, userID string) ([]api.Account, error) {
	if a, ok := b.cache.accountsOf(userID); ok {
		return a, nil
	}
	a, err := shared(ctx, &b.flights, keyOf("ListAccounts", userID), func(ctx context.Context) ([]api.Account, error) {
		a, err := b.client.ListAccounts(ctx, userID)
		if err == nil {
			b.cache.putAccounts(userID, a)
		}
		return a, err
	})
	return append([]api.Account(nil), a...), waited(err, "list accounts of user "+userID)
}

// ListCards lists cards matching f.
func (b *Backend) ListCards(ctx context.Context, f api.CardFilter) (api.Page[api.Card], error) {
	key := cardListKey(f)
	if p, ok := b.cache.cardList(key); ok {
		return p, nil
	}
	p, err := shared(ctx, &b.flights, key, func(ctx context.Context) (api.Page[api.Card], error) {
		p, err := b.client.ListCards(ctx, f)
		if err != nil {
			return p, err
		}
		return b.cache.putCardList(key, f, p), nil
	})
	return cloneItems(p), waited(err, "list cards")
}

// GetCard fetches one card; a card read in any list or kept current by
// events within the TTL is served without asking the provider.
func (b *Backend) GetCard(ctx context.Context, id string) (api.Card, error) {
	if c, ok := b.cache.card(id); ok {
		return c, nil
	}
	c, err := shared(ctx, &b.flights, keyOf("GetCard", id), func(ctx context.Context) (api.Card, error) {
		c, err := b.client.GetCard(ctx, id)
		if err != nil {
			return c, err
		}
		return b.cache.putCard(c), nil
	})
	return c, waited(err, "get card "+id)
}

// ListTransactions lists transactions matching f.
func (b *Backend) ListTransactions(ctx context.Context, f api.TxFilter) (api.Page[api.Transaction], error) {
	key := txListKey(f)
	if p, ok := b.cache.txList(key); ok {
		return p, nil
	}
	p, err := shared(ctx, &b.flights, key, func(ctx context.Context) (api.Page[api.Transaction], error) {
		p, err := b.client.ListTransactions(ctx, f)
		if err == nil {
			b.cache.putTxList(key, f, p)
		}
		return p, err
	})
	return cloneItems(p), waited(err, "list transactions")
}

// cloneItems gives each waiter of a shared read its own slice.
func cloneItems[T any](p api.Page[T]) api.Page[T] {
	p.Items = append([]T(nil), p.Items...)
	return p
}

// waited wraps the error of a caller who stopped waiting; the provider's
// errors are already wrapped by its client.
func waited(err error, what string) error {
	if err == nil {
		return nil
	}
	if err == context.Canceled || err == context.DeadlineExceeded {
		return fmt.Errorf("%s: %w", what, err)
	}
	return err
}
