package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/carddesk/carddesk/api"
)

// Styles is the one theme. It adapts to light and dark backgrounds (the
// root restyles on tea.BackgroundColorMsg) and drops colour entirely under
// NO_COLOR, keeping bold and reverse so that selection stays visible.
type Styles struct {
	IsDark  bool
	NoColor bool

	App       lipgloss.Style
	Header    lipgloss.Style
	TestBadge lipgloss.Style
	LiveBadge lipgloss.Style
	// UnknownBadge: the provider has not said yet whether the key is a
	// test or a live one.
	UnknownBadge lipgloss.Style
	TabActive    lipgloss.Style
	TabInactive  lipgloss.Style
	Crumb        lipgloss.Style
	Footer       lipgloss.Style
	FooterKey    lipgloss.Style
	FooterDesc   lipgloss.Style
	Flash        lipgloss.Style
	FlashError   lipgloss.Style

	TableHeader lipgloss.Style
	Row         lipgloss.Style
	RowSelected lipgloss.Style
	RowDecline  lipgloss.Style
	Muted       lipgloss.Style
	Title       lipgloss.Style
	Label       lipgloss.Style
	Value       lipgloss.Style
	Panel       lipgloss.Style

	Dialog      lipgloss.Style
	DialogTitle lipgloss.Style
	Button      lipgloss.Style
	ButtonFocus lipgloss.Style
	Danger      lipgloss.Style
	Good        lipgloss.Style
	Warn        lipgloss.Style
	Alert       lipgloss.Style
	Secret      lipgloss.Style

	// Chart colours for the Declines view.
	ChartBar     lipgloss.Style
	ChartDecline lipgloss.Style
}

// palette picks a colour for the background, or none under NO_COLOR.
type palette struct {
	isDark, noColor bool
}

func (p palette) c(light, dark string) color.Color {
	if p.noColor {
		return lipgloss.NoColor{}
	}
	return lipgloss.LightDark(p.isDark)(lipgloss.Color(light), lipgloss.Color(dark))
}

// NewStyles builds the theme for a dark or light background.
func NewStyles(isDark, noColor bool) *Styles {
	p := palette{isDark, noColor}
	fg := p.c("#1f2328", "#e6edf3")
	muted := p.c("#6e7781", "#8b949e")
	accent := p.c("#0550ae", "#58a6ff")
	good := p.c("#1a7f37", "#3fb950")
	warn := p.c("#9a6700", "#d29922")
	bad := p.c("#cf222e", "#f85149")
	selBg := p.c("#ddf4ff", "#1f3a5f")
	panel := p.c("#d0d7de", "#30363d")

	base := lipgloss.NewStyle().Foreground(fg)
	s := &Styles{IsDark: isDark, NoColor: noColor}
	s.App = base
	s.Header = base.Bold(true)
	s.TestBadge = lipgloss.NewStyle().Bold(true).Padding(0, 1).Foreground(p.c("#ffffff", "#0d1117")).Background(warn)
	s.LiveBadge = lipgloss.NewStyle().Bold(true).Padding(0, 1).Foreground(p.c("#ffffff", "#ffffff")).Background(bad)
	s.UnknownBadge = lipgloss.NewStyle().Bold(true).Padding(0, 1).Foreground(p.c("#ffffff", "#0d1117")).Background(muted)
	s.TabActive = lipgloss.NewStyle().Bold(true).Foreground(accent).Underline(true)
	s.TabInactive = lipgloss.NewStyle().Foreground(muted)
	s.Crumb = lipgloss.NewStyle().Foreground(muted)
	s.Footer = lipgloss.NewStyle().Foreground(muted)
	s.FooterKey = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.FooterDesc = lipgloss.NewStyle().Foreground(muted)
	s.Flash = lipgloss.NewStyle().Bold(true).Foreground(good)
	s.FlashError = lipgloss.NewStyle().Bold(true).Foreground(bad)
	s.TableHeader = lipgloss.NewStyle().Bold(true).Foreground(muted)
	s.Row = base
	s.RowSelected = base.Bold(true).Background(selBg)
	if noColor {
		s.RowSelected = lipgloss.NewStyle().Reverse(true)
	}
	s.RowDecline = lipgloss.NewStyle().Foreground(bad)
	s.Muted = lipgloss.NewStyle().Foreground(muted)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Label = lipgloss.NewStyle().Foreground(muted)
	s.Value = base
	s.Panel = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(panel).Padding(0, 1)
	s.Dialog = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(1, 2)
	s.DialogTitle = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Button = lipgloss.NewStyle().Padding(0, 2).Foreground(muted)
	s.ButtonFocus = lipgloss.NewStyle().Padding(0, 2).Bold(true).Reverse(true)
	s.Danger = lipgloss.NewStyle().Bold(true).Foreground(bad)
	s.Good = lipgloss.NewStyle().Foreground(good)
	s.Warn = lipgloss.NewStyle().Foreground(warn)
	s.Alert = lipgloss.NewStyle().Bold(true).Foreground(p.c("#ffffff", "#ffffff")).Background(bad).Padding(0, 1)
	s.Secret = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.ChartBar = lipgloss.NewStyle().Foreground(muted)
	s.ChartDecline = lipgloss.NewStyle().Foreground(bad)
	return s
}

// CardStatus renders a card's status in its colour.
func (s *Styles) CardStatus(st api.CardStatus) string {
	switch st {
	case api.CardActive:
		return s.Good.Render(string(st))
	case api.CardFrozen:
		return s.Warn.Render(string(st))
	case api.CardTerminated:
		return s.Danger.Render(string(st))
	}
	return s.Muted.Render(string(st))
}
