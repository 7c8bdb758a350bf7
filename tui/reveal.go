package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
)

// revealFor is how long revealed values stay on screen.
const revealFor = 30 * time.Second

// revealDialog asks for a reason, fetches the card's number, CVC and
// expiry, shows them for revealFor with a countdown, and wipes them when
// they hide (on esc, at the end of the countdown, or when the session
// ends). The values exist nowhere but here: never in a flash, a log, or a
// message other than the one that delivers them, and never in a frame —
// the frame carries placeholders, and the session's Output writes the
// digits in their place on the way to the terminal.
type revealDialog struct {
	out     *Output
	card    api.Card
	holder  string
	reason  textinput.Model
	note    string
	state   int
	spin    spinner.Model
	secrets *api.CardSecrets
	shownAt time.Time
	left    time.Duration
}

const (
	revealAsking = iota
	revealFetching
	revealShown
)

// revealedMsg delivers the secrets to the dialog that asked; if that
// dialog is gone, the root wipes them.
type revealedMsg struct {
	to      *revealDialog
	secrets *api.CardSecrets
	err     error
}

// revealTickMsg moves the countdown on.
type revealTickMsg struct{ to *revealDialog }

func newRevealDialog(ctx *Context, c api.Card) (Dialog, tea.Cmd) {
	in := textinput.New()
	in.Prompt = "Reason: "
	in.Placeholder = "why the cardholder needs the number"
	in.CharLimit = 200
	in.SetWidth(40)
	in.SetStyles(textinput.DefaultStyles(ctx.Styles.IsDark))
	d := &revealDialog{
		out: ctx.output, card: c, holder: ctx.holder(c.UserID), reason: in,
		spin: spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(ctx.Styles.Title)),
	}
	return d, d.reason.Focus()
}

// Update takes the reason, then the answer, then the countdown.
func (d *revealDialog) Update(ctx *Context, msg tea.Msg) (Dialog, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if d.state != revealFetching {
			return d, nil
		}
		var cmd tea.Cmd
		d.spin, cmd = d.spin.Update(msg)
		return d, cmd
	case revealedMsg:
		if msg.to != d {
			return d, nil
		}
		if msg.err != nil {
			d.Close()
			text, id := errorParts(ctx, msg.err)
			return nil, func() tea.Msg {
				return FlashMsg{Text: fmt.Sprintf("Card %s not revealed: %s", masked(d.card.LastFour), text), Error: true, RequestID: id}
			}
		}
		d.secrets, d.state, d.shownAt, d.left = msg.secrets, revealShown, ctx.now(), revealFor
		d.out.show(d.secrets)
		return d, d.tick()
	case revealTickMsg:
		if msg.to != d || d.state != revealShown {
			return d, nil
		}
		d.left = revealFor - ctx.now().Sub(d.shownAt)
		if d.left <= 0 {
			d.Close()
			return nil, tea.Batch(flash(fmt.Sprintf("Card %s details hidden", masked(d.card.LastFour)), false), tea.ClearScreen)
		}
		return d, d.tick()
	case tea.KeyPressMsg:
		if msg.String() == "esc" {
			var cmd tea.Cmd
			if d.state == revealShown {
				cmd = tea.ClearScreen
			}
			d.Close()
			return nil, cmd
		}
		if d.state == revealAsking {
			return d.reasonKey(ctx, msg)
		}
		return d, nil
	}
	if d.state == revealAsking {
		var cmd tea.Cmd
		d.reason, cmd = d.reason.Update(msg)
		return d, cmd
	}
	return d, nil
}

func (d *revealDialog) tick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return revealTickMsg{to: d} })
}

// reasonKey edits the reason; enter with a reason fetches the values.
func (d *revealDialog) reasonKey(ctx *Context, k tea.KeyPressMsg) (Dialog, tea.Cmd) {
	if k.String() != "enter" {
		var cmd tea.Cmd
		d.reason, cmd = d.reason.Update(k)
		return d, cmd
	}
	reason := strings.TrimSpace(d.reason.Value())
	if reason == "" {
		d.note = "A reason is required"
		return d, nil
	}
	d.note, d.state = "", revealFetching
	d.reason.Blur()
	b, io, actor, id := ctx.Backend, ctx.IO(), ctx.Actor, d.card.ID
	fetch := func() tea.Msg {
		sec, err := b.Reveal(io, actor, id, reason)
		if sec != nil && io.Err() != nil {
			// The session ended meanwhile: no dialog will take them.
			sec.Wipe()
			return nil
		}
		return revealedMsg{to: d, secrets: sec, err: err}
	}
	return d, tea.Batch(fetch, d.spin.Tick)
}

// View shows the reason prompt, the spinner, or the values and countdown.
func (d *revealDialog) View(ctx *Context, width int) string {
	s := ctx.Styles
	lines := []string{
		s.DialogTitle.Render("Reveal card " + masked(d.card.LastFour)),
		"",
		cardSummary(ctx, d.card, d.holder, width),
		"",
	}
	switch d.state {
	case revealAsking:
		d.reason.SetWidth(max(width-len(d.reason.Prompt)-1, 10))
		lines = append(lines,
			"The number, CVC and expiry show for 30 seconds.",
			d.reason.View())
		if d.note != "" {
			lines = append(lines, s.FlashError.Render(d.note))
		}
		lines = append(lines, "", s.Muted.Render("enter reveal · esc cancel"))
	case revealFetching:
		lines = append(lines, d.spin.View()+" fetching…")
	case revealShown:
		lines = append(lines, d.secretLines(s)...)
		secs := int((d.left + time.Second - 1) / time.Second)
		lines = append(lines, "", s.Warn.Render(fmt.Sprintf("Hides in %ds", secs))+s.Muted.Render(" · esc hides now"))
	}
	return strings.Join(lines, "\n")
}

// secretLines draws the values: placeholders for the number's and the
// CVC's digits (see Output), the expiry as it is (cards lists show it).
func (d *revealDialog) secretLines(s *Styles) []string {
	sec := d.secrets
	if sec == nil {
		return nil
	}
	return []string{
		s.Label.Render("Number  ") + s.Secret.Render(secretGlyphs(fieldNumber, len(sec.Number), 4)),
		s.Label.Render("CVC     ") + s.Secret.Render(secretGlyphs(fieldCVC, len(sec.CVC), 0)),
		s.Label.Render("Expiry  ") + s.Secret.Render(fmt.Sprintf("%02d/%02d", sec.ExpMonth, sec.ExpYear%100)),
	}
}

// Bindings are the dialog's keys.
func (d *revealDialog) Bindings(ctx *Context) []Binding {
	if d.state == revealAsking {
		return []Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "reveal")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}
	}
	return []Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "hide"))}
}

// Close takes the values off the terminal's output, then wipes and
// forgets them. Update asks for the whole screen to be repainted after a
// close that hid them (tea.ClearScreen), so that every cell that showed a
// digit is written again, whatever the frame after it holds there.
func (d *revealDialog) Close() {
	if d.out != nil {
		d.out.hide()
	}
	if d.secrets != nil {
		d.secrets.Wipe()
		d.secrets = nil
	}
	d.state = revealAsking
	d.left = 0
}
