// Package config is carddesk's configuration: the one TOML file that
// config.toml.example documents, with the environment's overrides for
// secrets, checked whole when it is loaded — an unknown key, a bad value,
// a secret in a file others may read are refused saying which key and how
// to fix it, never showing the secret. From it come the provider's clients
// (each with its rate-limit budget), the dashboard's keymap, the SSH
// server's agents and host key, and the relay's settings and stream token.
//
// SecretFlag is the command-line form of a secret, beside it: every secret
// flag has a file form and names its environment variable, because a
// secret on a command line is visible to every local user.
package config
