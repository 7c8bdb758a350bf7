package tui

import (
	"errors"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// cmdLine is the ":" command line in the footer.
type cmdLine struct {
	input textinput.Model
	open  bool
}

func newCmdLine(ctx *Context) cmdLine {
	in := textinput.New()
	in.Prompt = ":"
	in.Placeholder = "users, cards, live, declines, user <query>, card <id|last4>, messages, q"
	in.CharLimit = maxCommandLen
	in.SetStyles(textinput.DefaultStyles(ctx.Styles.IsDark))
	return cmdLine{input: in}
}

func (c *cmdLine) restyle(ctx *Context) {
	c.input.SetStyles(textinput.DefaultStyles(ctx.Styles.IsDark))
}

func (c *cmdLine) start() tea.Cmd {
	c.open = true
	c.input.Reset()
	return c.input.Focus()
}

func (c *cmdLine) stop() {
	c.open = false
	c.input.Blur()
}

// key handles a key while the command line is open.
func (m *model) cmdKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "esc":
		m.cmd.stop()
		return nil
	case "enter":
		line := m.cmd.input.Value()
		m.cmd.stop()
		c, err := ParseCommand(line)
		if err != nil {
			text := sentence(err.Error())
			if errors.Is(err, errUnknownCommand) {
				text = "Unknown command: " + err.Error()[len(errUnknownCommand.Error())+1:]
			}
			return flash(text, true)
		}
		return m.run(c)
	}
	var cmd tea.Cmd
	m.cmd.input, cmd = m.cmd.input.Update(k)
	return cmd
}

// run executes a parsed command.
func (m *model) run(c Command) tea.Cmd {
	switch c.Kind {
	case CmdUsers:
		return m.activate(tabUsers)
	case CmdCards:
		return m.activate(tabCards)
	case CmdLive:
		return m.activate(tabLive)
	case CmdDeclines:
		return m.activate(tabDeclines)
	case CmdQuit:
		return m.quit()
	case CmdMessages:
		return m.push(NewMessages())
	case CmdAudit:
		b := m.ctx.Backend
		if b == nil {
			return flash(auditUnavailable, true)
		}
		if ok, _ := b.AuditAvailable(m.ctx.Actor); !ok {
			return refuseAudit(m.ctx)
		}
		return m.push(NewAudit())
	case CmdUser:
		m.tabs[tabUsers] = []Screen{NewUsers(c.Arg, true)}
		m.inited[tabUsers] = false
		return m.activate(tabUsers)
	case CmdCard:
		if isLastFour(c.Arg) {
			m.tabs[tabCards] = []Screen{NewCards(CardQuery{LastFour: c.Arg}, true)}
			m.inited[tabCards] = false
			return m.activate(tabCards)
		}
		init := m.activate(tabCards)
		return tea.Batch(init, m.push(NewCardDetail(c.Arg)))
	}
	return nil
}
