package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
)

// terminateDialog is the slow path for the one irreversible action: the
// agent types the card's last four digits and picks a reason, and only
// then does the Terminate button enable. No is focused by default.
type terminateDialog struct {
	card    api.Card
	holder  string
	digits  textinput.Model
	matched bool
	note    string // what the last entry did wrong
	reasons []api.TerminationReason
	cursor  int
	reason  api.TerminationReason
	focus   int // 0 the digits, 1 the reasons, 2 the buttons
	button  int // 0 No, 1 Terminate
	running bool
	spin    spinner.Model
}

const (
	focusDigits = iota
	focusReasons
	focusButtons
)

func newTerminateDialog(ctx *Context, c api.Card) (Dialog, tea.Cmd) {
	in := textinput.New()
	in.Prompt = "Last four: "
	in.Placeholder = "····"
	in.CharLimit = 4
	in.SetWidth(6)
	in.SetStyles(textinput.DefaultStyles(ctx.Styles.IsDark))
	d := &terminateDialog{
		card: c, holder: ctx.holder(c.UserID), digits: in, reasons: api.TerminationReasons(),
		spin: spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(ctx.Styles.Danger)),
	}
	return d, d.digits.Focus()
}

// ready reports whether the Terminate button is enabled.
func (d *terminateDialog) ready() bool { return d.matched && d.reason != "" }

// Update handles the typed digits, the reason list and the buttons.
func (d *terminateDialog) Update(ctx *Context, msg tea.Msg) (Dialog, tea.Cmd) {
	if t, ok := msg.(spinner.TickMsg); ok {
		var cmd tea.Cmd
		d.spin, cmd = d.spin.Update(t)
		return d, cmd
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if d.focus == focusDigits {
			var cmd tea.Cmd
			d.digits, cmd = d.digits.Update(msg)
			return d, cmd
		}
		return d, nil
	}
	if d.running {
		// Under way: esc hides the dialog, the outcome shows in the footer.
		if k.String() == "esc" {
			return nil, nil
		}
		return d, nil
	}
	switch k.String() {
	case "esc":
		return nil, nil
	case "tab":
		return d, d.setFocus((d.focus + 1) % 3)
	case "shift+tab":
		return d, d.setFocus((d.focus + 2) % 3)
	}
	switch d.focus {
	case focusDigits:
		return d.digitsKey(k)
	case focusReasons:
		return d.reasonsKey(k)
	}
	return d.buttonsKey(ctx, k)
}

// setFocus moves the focus; arriving at the buttons always focuses No.
func (d *terminateDialog) setFocus(f int) tea.Cmd {
	d.focus = f
	if f == focusButtons {
		d.button = 0
	}
	if f == focusDigits {
		return d.digits.Focus()
	}
	d.digits.Blur()
	return nil
}

// digitsKey takes digits only; four of them, or enter, check the entry.
func (d *terminateDialog) digitsKey(k tea.KeyPressMsg) (Dialog, tea.Cmd) {
	if k.String() == "enter" {
		return d, d.check()
	}
	if t := k.Text; t != "" && (len(t) != 1 || t[0] < '0' || t[0] > '9') {
		return d, nil
	}
	before := d.digits.Value()
	var cmd tea.Cmd
	d.digits, cmd = d.digits.Update(k)
	if d.digits.Value() != before {
		d.matched, d.note = false, ""
		if len(d.digits.Value()) == 4 {
			return d, tea.Batch(cmd, d.check())
		}
	}
	return d, cmd
}

// check compares the typed digits with the card's last four.
func (d *terminateDialog) check() tea.Cmd {
	if d.digits.Value() != d.card.LastFour {
		d.matched = false
		d.note = "Those are not this card's last four digits"
		return nil
	}
	d.matched, d.note = true, ""
	if d.reason == "" {
		return d.setFocus(focusReasons)
	}
	return d.setFocus(focusButtons)
}

// reasonsKey moves through the reasons; enter or space picks one.
func (d *terminateDialog) reasonsKey(k tea.KeyPressMsg) (Dialog, tea.Cmd) {
	switch k.String() {
	case "up", "k", "left", "h":
		d.cursor = max(d.cursor-1, 0)
	case "down", "j", "right", "l":
		d.cursor = min(d.cursor+1, len(d.reasons)-1)
	case "enter", "space":
		d.reason = d.reasons[d.cursor]
		return d, d.setFocus(focusButtons)
	}
	return d, nil
}

// buttonsKey moves between No and Terminate and presses one.
func (d *terminateDialog) buttonsKey(ctx *Context, k tea.KeyPressMsg) (Dialog, tea.Cmd) {
	switch k.String() {
	case "left", "right", "h", "l":
		d.button = 1 - d.button
	case "enter", "space":
		if d.button == 0 {
			return nil, nil
		}
		if !d.ready() {
			d.note = "Type the card's last four digits and pick a reason first"
			return d, nil
		}
		d.running = true
		return d, tea.Batch(runAction(ctx, d, terminateAction(), d.card, d.reason), d.spin.Tick)
	}
	return d, nil
}

func terminateAction() cardAction {
	for _, a := range cardActions() {
		if a.Dangerous {
			return a
		}
	}
	return cardAction{}
}

// View shows the card, the digits, the reasons and the buttons.
func (d *terminateDialog) View(ctx *Context, width int) string {
	s := ctx.Styles
	lines := []string{
		s.Danger.Render("Terminate card " + masked(d.card.LastFour) + "?"),
		"",
		cardSummary(ctx, d.card, d.holder, width),
		"Termination is final: the card can never be used again.",
		"",
		d.digits.View() + "  " + d.digitsMark(s),
	}
	if d.note != "" {
		lines = append(lines, s.FlashError.Render(d.note))
	}
	lines = append(lines, "", label(s, "Reason", d.focus == focusReasons))
	items := make([]string, len(d.reasons))
	for i, r := range d.reasons {
		mark := "( )"
		if r == d.reason {
			mark = "(•)"
		}
		item := mark + " " + reasonText(r)
		if d.focus == focusReasons && i == d.cursor {
			item = s.RowSelected.Render(item)
		}
		items[i] = item
	}
	lines = append(lines, flow(items, "   ", width))
	lines = append(lines, "")
	if d.running {
		lines = append(lines, underWay(s, d.spin, terminateAction().Verb)...)
	} else {
		focus := -1
		if d.focus == focusButtons {
			focus = d.button
		}
		lines = append(lines, buttons(s, []string{"No", "Terminate"}, focus, map[int]bool{1: !d.ready()}))
		lines = append(lines, "", s.Muted.Render("tab next field · arrows choose · enter pick/press · esc cancel"))
	}
	return strings.Join(lines, "\n")
}

func (d *terminateDialog) digitsMark(s *Styles) string {
	if d.matched {
		return s.Good.Render("✓ matches")
	}
	return ""
}

// label is a field label, emphasised when focused.
func label(s *Styles, text string, focused bool) string {
	if focused {
		return s.Title.Render(text)
	}
	return s.Label.Render(text)
}

// reasonText says a termination reason in words.
func reasonText(r api.TerminationReason) string {
	switch r {
	case api.TerminateLost:
		return "lost"
	case api.TerminateStolen:
		return "stolen"
	case api.TerminateFraud:
		return "fraud"
	case api.TerminateCustomer:
		return "customer request"
	case api.TerminateOther:
		return "other"
	}
	return safe(string(r))
}

// Bindings are the dialog's keys.
func (d *terminateDialog) Bindings(ctx *Context) []Binding {
	if d.running {
		return []Binding{hideBinding()}
	}
	return []Binding{
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "reason")),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "pick/press")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// Close: nothing secret to forget.
func (d *terminateDialog) Close() {}
