package tui

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
)

// Binding is a key binding with its help text.
type Binding = key.Binding

// KeyMap is every key the dashboard answers to. Field names, lowercased, are
// the names the config file's [keys] section rebinds ("freeze = ['F']").
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom Binding
	Enter, Back, NextTab, PrevTab           Binding
	Users, Cards, Live, Declines            Binding
	Filter, Command, Help, Quit, Refresh    Binding
	Dismiss                                 Binding
	Freeze, Unfreeze, Reveal, Terminate     Binding
	Activate                                Binding
	Pause, DeclinesOnly                     Binding
}

// DefaultKeyMap follows k9s and lazygit habits.
func DefaultKeyMap() *KeyMap {
	b := func(help, desc string, keys ...string) Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return &KeyMap{
		Up:           b("↑/k", "up", "up", "k"),
		Down:         b("↓/j", "down", "down", "j"),
		PageUp:       b("pgup", "page up", "pgup", "ctrl+b"),
		PageDown:     b("pgdn", "page down", "pgdown", "ctrl+f"),
		Top:          b("g", "top", "g", "home"),
		Bottom:       b("G", "bottom", "G", "end"),
		Enter:        b("enter", "open", "enter"),
		Back:         b("esc", "back", "esc"),
		NextTab:      b("tab", "next view", "tab"),
		PrevTab:      b("shift+tab", "previous view", "shift+tab"),
		Users:        b("1", "users", "1"),
		Cards:        b("2", "cards", "2"),
		Live:         b("3", "live", "3"),
		Declines:     b("4", "declines", "4"),
		Filter:       b("/", "filter", "/"),
		Command:      b(":", "command", ":"),
		Help:         b("?", "help", "?"),
		Quit:         b("q", "quit", "q", "ctrl+c"),
		Refresh:      b("ctrl+r", "refresh", "ctrl+r"),
		Dismiss:      b("x", "dismiss", "x"),
		Freeze:       b("f", "freeze", "f"),
		Unfreeze:     b("u", "unfreeze", "u"),
		Reveal:       b("r", "reveal", "r"),
		Terminate:    b("t", "terminate", "t"),
		Activate:     b("a", "activate", "a"),
		Pause:        b("p", "pause", "p", "space"),
		DeclinesOnly: b("d", "declines only", "d"),
	}
}

// Rebind applies the config's [keys] overrides: action name → keys. An
// unknown action, an empty key list, or a key that would then belong to two
// actions in the same scope is an error naming it.
func (k *KeyMap) Rebind(overrides map[string][]string) error {
	v := reflect.ValueOf(k).Elem()
	t := v.Type()
	byName := map[string]int{}
	for i := range t.NumField() {
		byName[strings.ToLower(t.Field(i).Name)] = i
	}
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		keys := overrides[name]
		i, ok := byName[strings.ToLower(strings.ReplaceAll(name, "_", ""))]
		if !ok {
			return fmt.Errorf("keys.%s: no such action", name)
		}
		if len(keys) == 0 {
			return fmt.Errorf("keys.%s: give at least one key", name)
		}
		for _, kk := range keys {
			if strings.TrimSpace(kk) == "" || len(kk) > 32 {
				return fmt.Errorf("keys.%s: %q is not a key", name, kk)
			}
		}
		old := v.Field(i).Interface().(Binding)
		v.Field(i).Set(reflect.ValueOf(key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(keys, "/"), old.Help().Desc))))
	}
	return k.checkClashes()
}

// checkClashes refuses one key bound to two actions: a destructive action
// must never hide behind a navigation key.
func (k *KeyMap) checkClashes() error {
	v := reflect.ValueOf(k).Elem()
	t := v.Type()
	owner := map[string]string{}
	for i := range t.NumField() {
		b := v.Field(i).Interface().(Binding)
		for _, kk := range b.Keys() {
			if prev, ok := owner[kk]; ok {
				return fmt.Errorf("keys: %q is bound to both %s and %s", kk, strings.ToLower(prev), strings.ToLower(t.Field(i).Name))
			}
			owner[kk] = t.Field(i).Name
		}
	}
	return nil
}
