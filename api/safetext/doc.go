// Package safetext makes strings from outside safe to show on a terminal or
// write to a log.
//
// Merchant names, metadata, provider error messages and webhook payloads are
// written by people carddesk does not control. Before any of them reaches a
// screen or a log line it goes through [Safe], which removes control
// characters and whole terminal escape sequences ([Clean]) and masks
// anything that looks like a card number ([MaskPANs]). [NewMaskingHandler]
// applies the same treatment to every slog record, and [Truncate] fits a
// cleaned string to a display width.
//
// Every function returns its argument itself, without allocating, when there
// is nothing to change, so calling them on every row of every frame is cheap.
package safetext
