// Package vaultspay speaks VaultsPay's API: its wire format, endpoints,
// Standard Webhooks signature scheme and event types, mapped onto package
// api. Where the VaultsPay reference leaves a shape open, this package is
// where carddesk decides it, once; the README lists each decision.
package vaultspay
