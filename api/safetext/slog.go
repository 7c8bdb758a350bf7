package safetext

import (
	"context"
	"encoding"
	"fmt"
	"log/slog"
	"strconv"
)

// maskingHandler passes records on to h after making them Safe.
type maskingHandler struct {
	h slog.Handler
}

// NewMaskingHandler returns a handler that applies [Safe] to the message,
// every attribute key and every string attribute value (through groups and
// LogValuers) of each record, then hands it to h, so that no log line ever
// carries a card number or a terminal escape. Values that print as text,
// such as errors, fmt.Stringers and byte slices, are made Safe as strings;
// an integer that is a card number is masked; any other value is kept as it
// is unless its printed form would need cleaning, in which case the Safe
// printed form replaces it.
func NewMaskingHandler(h slog.Handler) slog.Handler {
	return &maskingHandler{h: h}
}

// MaskingLogger returns l with every record made Safe as NewMaskingHandler
// does, or l itself when its handler already does that. A nil l gives a
// logger that discards everything. Components that log what arrives from
// outside (the relay, the sandbox) pass their configured logger through it,
// so that whatever handler their caller chose, no card number or terminal
// escape reaches a log line.
func MaskingLogger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	if _, ok := l.Handler().(*maskingHandler); ok {
		return l
	}
	return slog.New(NewMaskingHandler(l.Handler()))
}

func (m *maskingHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return m.h.Enabled(ctx, level)
}

func (m *maskingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Safe(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(safeAttr(a))
		return true
	})
	return m.h.Handle(ctx, out)
}

func (m *maskingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	safe := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		safe[i] = safeAttr(a)
	}
	return &maskingHandler{h: m.h.WithAttrs(safe)}
}

func (m *maskingHandler) WithGroup(name string) slog.Handler {
	return &maskingHandler{h: m.h.WithGroup(Safe(name))}
}

func safeAttr(a slog.Attr) slog.Attr {
	return slog.Attr{Key: Safe(a.Key), Value: safeValue(a.Value)}
}

func safeValue(v slog.Value) slog.Value {
	v = v.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(Safe(v.String()))
	case slog.KindGroup:
		attrs := v.Group()
		safe := make([]slog.Attr, len(attrs))
		for i, a := range attrs {
			safe[i] = safeAttr(a)
		}
		return slog.GroupValue(safe...)
	case slog.KindInt64:
		return safeNumber(v, strconv.FormatInt(v.Int64(), 10))
	case slog.KindUint64:
		return safeNumber(v, strconv.FormatUint(v.Uint64(), 10))
	case slog.KindAny:
		return safeAny(v)
	}
	return v
}

// safeNumber masks an integer whose digits form a card number.
func safeNumber(v slog.Value, digits string) slog.Value {
	if masked := MaskPANs(digits); masked != digits {
		return slog.StringValue(masked)
	}
	return v
}

// safeAny turns the values a handler would print as text into Safe strings,
// and keeps any other value unless its printed form needs cleaning. A value
// whose Error or String method panics (a nil pointer, typically) is logged as
// the panic, as slog's own handlers do, rather than taking the caller down.
func safeAny(v slog.Value) (out slog.Value) {
	defer func() {
		if p := recover(); p != nil {
			out = slog.StringValue(Safe(fmt.Sprintf("!PANIC: %v", p)))
		}
	}()
	switch x := v.Any().(type) {
	case nil:
		return v
	case error:
		return slog.StringValue(Safe(x.Error()))
	case fmt.Stringer:
		return slog.StringValue(Safe(x.String()))
	case encoding.TextMarshaler:
		b, err := x.MarshalText()
		if err != nil {
			return slog.StringValue(Safe("!ERROR:" + err.Error()))
		}
		return slog.StringValue(Safe(string(b)))
	case []byte:
		return slog.StringValue(Safe(string(x)))
	default:
		printed := fmt.Sprintf("%+v", x)
		if safe := Safe(printed); safe != printed {
			return slog.StringValue(safe)
		}
		return v
	}
}
