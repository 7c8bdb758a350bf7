package main

import (
	"io"
	"log/slog"

	"github.com/carddesk/carddesk/api/safetext"
)

// newLogger is every command's logger: text lines to w, with escape
// sequences stripped and card-number-shaped digits masked in the message
// and every attribute, whatever a provider or a webhook put in them.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(safetext.NewMaskingHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})))
}
