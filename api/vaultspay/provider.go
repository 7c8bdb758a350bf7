package vaultspay

// Provider is the name carddesk knows VaultsPay by.
const Provider = "vaultspay"
