package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
)

// confirmDialog asks before freeze, unfreeze and activate. No is focused
// when it opens: enter alone never acts.
type confirmDialog struct {
	action  cardAction
	card    api.Card
	holder  string
	focus   int // 0 No, 1 Yes
	running bool
	spin    spinner.Model
}

func newConfirmDialog(ctx *Context, a cardAction, c api.Card) *confirmDialog {
	return &confirmDialog{
		action: a, card: c, holder: ctx.holder(c.UserID),
		spin: spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(ctx.Styles.Title)),
	}
}

// Update answers y/n/esc, moves the focus, and presses the focused button.
func (d *confirmDialog) Update(ctx *Context, msg tea.Msg) (Dialog, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		var cmd tea.Cmd
		d.spin, cmd = d.spin.Update(msg)
		return d, cmd
	case tea.KeyPressMsg:
		if d.running {
			// The call is under way and cannot be taken back: esc only
			// hides the dialog, and the outcome shows in the footer.
			if msg.String() == "esc" {
				return nil, nil
			}
			return d, nil
		}
		switch msg.String() {
		case "y", "Y":
			return d.confirm(ctx)
		case "n", "N", "esc":
			return nil, nil
		case "left", "right", "tab", "shift+tab", "h", "l":
			d.focus = 1 - d.focus
		case "enter", "space":
			if d.focus == 1 {
				return d.confirm(ctx)
			}
			return nil, nil
		}
	}
	return d, nil
}

func (d *confirmDialog) confirm(ctx *Context) (Dialog, tea.Cmd) {
	d.running = true
	return d, tea.Batch(runAction(ctx, d, d.action, d.card, ""), d.spin.Tick)
}

// View shows the card, the action in words and the buttons.
func (d *confirmDialog) View(ctx *Context, width int) string {
	s := ctx.Styles
	verb := sentence(d.action.Verb)
	lines := []string{
		s.DialogTitle.Render(verb + " card " + masked(d.card.LastFour) + "?"),
		"",
		cardSummary(ctx, d.card, d.holder, width),
		"",
		actionSentence(d.action, d.card),
		"",
	}
	if d.running {
		lines = append(lines, underWay(s, d.spin, d.action.Verb)...)
	} else {
		lines = append(lines, buttons(s, []string{"No", "Yes, " + d.action.Verb}, d.focus, nil))
		lines = append(lines, "", s.Muted.Render("y confirm · n/esc cancel · ←/→ move · enter press"))
	}
	return strings.Join(lines, "\n")
}

// actionSentence says what the action will do, in words.
func actionSentence(a cardAction, c api.Card) string {
	switch a.Verb {
	case "freeze":
		return "Payments with this card will be declined until it is unfrozen."
	case "unfreeze":
		return "The card will accept payments again."
	case "activate":
		return "The card will start accepting payments."
	case "terminate":
		return "Termination is final: the card can never be used again."
	}
	return sentence(a.Verb) + " card " + masked(c.LastFour) + "."
}

// cardSummary is the card an action will act on: holder, last four,
// status, on one line when it fits.
func cardSummary(ctx *Context, c api.Card, holder string, width int) string {
	s := ctx.Styles
	parts := []string{
		s.Label.Render("Holder ") + orDash(safe(holder)),
		s.Label.Render("Card ") + masked(c.LastFour) + " " + safe(string(c.Type)),
		s.Label.Render("Status ") + s.CardStatus(api.CardStatus(safe(string(c.Status)))),
	}
	return flow(parts, "  ", width)
}

// flow joins parts with sep, breaking lines so that none is wider than
// width.
func flow(parts []string, sep string, width int) string {
	var lines []string
	cur := ""
	for _, p := range parts {
		switch {
		case cur == "":
			cur = p
		case ansi.StringWidth(cur)+ansi.StringWidth(sep)+ansi.StringWidth(p) <= width:
			cur += sep + p
		default:
			lines = append(lines, cur)
			cur = p
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return strings.Join(lines, "\n")
}

// Bindings are the dialog's keys.
func (d *confirmDialog) Bindings(ctx *Context) []Binding {
	if d.running {
		return []Binding{hideBinding()}
	}
	return []Binding{
		key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "confirm")),
		key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),
		key.NewBinding(key.WithKeys("left", "right", "tab"), key.WithHelp("←/→", "move")),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "press")),
	}
}

// Close: nothing secret to forget.
func (d *confirmDialog) Close() {}

// hideBinding is esc while an action is under way: the dialog goes, the
// action goes on, its outcome shows in the footer.
func hideBinding() Binding {
	return key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "hide"))
}

// underWay is the end of an action's dialog while the call runs: the
// spinner and the action ("Freezing…", "Terminating…"), and that esc only
// hides the dialog.
func underWay(s *Styles, spin spinner.Model, verb string) []string {
	return []string{
		spin.View() + " " + sentence(strings.TrimSuffix(verb, "e")+"ing") + "…",
		"",
		s.Muted.Render("esc hides this · the outcome shows below"),
	}
}
