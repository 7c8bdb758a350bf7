package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/monitor"
)

// DefaultLiveCapacity is how many events the Live view retains by default.
const DefaultLiveCapacity = 50_000

// Options configure one session's dashboard.
type Options struct {
	Backend *backend.Backend
	Actor   backend.Actor
	Keys    *KeyMap          // nil → DefaultKeyMap()
	Now     func() time.Time // nil → time.Now
	// LiveCapacity bounds the Live ring; 0 → DefaultLiveCapacity.
	LiveCapacity int
	// NoColor drops colour (NO_COLOR); an SSH client's NO_COLOR is honoured
	// too, from its environment.
	NoColor bool
	// Screens builds the Live and Declines views; nil shows placeholders.
	Screens func(*Context) (live, declines Screen)
	// Context, when set, bounds the session: every command's I/O runs
	// under it, and when it ends the session's live feed is released.
	// Cancel it once the program has returned (an SSH session passes its
	// own); quitting from the keyboard releases everything anyway.
	// Nil → Background.
	Context context.Context
	// Output is the program's output (tea.WithOutput), through which the
	// reveal dialog shows a card's number and CVC without putting them in
	// a frame; call its Forget once the program has returned. Nil → reveal
	// is refused: nothing could show the values.
	Output *Output
}

// The four views.
const (
	tabUsers = iota
	tabCards
	tabLive
	tabDeclines
	numTabs
)

// model is the root: header, footer, tabs each with a navigation stack,
// dialogs, the help screen and the command line.
type model struct {
	ctx    *Context
	cancel context.CancelFunc

	noColor bool
	isDark  bool

	tabs   [numTabs][]Screen
	inited [numTabs]bool
	active int

	dialog Dialog
	help   bool
	cmd    cmdLine

	flash  flashState
	health backend.Health

	feed     *backend.Feed
	lastFeed time.Time
	quitting bool
}

// New returns the dashboard for one session.
func New(opts Options) tea.Model {
	keys := opts.Keys
	if keys == nil {
		keys = DefaultKeyMap()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	capacity := opts.LiveCapacity
	if capacity <= 0 {
		capacity = DefaultLiveCapacity
	}
	parent := opts.Context
	if parent == nil {
		parent = context.Background()
	}
	io, cancel := context.WithCancel(parent)
	ctx := &Context{
		Width: 80, Height: 24,
		Styles:  NewStyles(true, opts.NoColor),
		Keys:    keys,
		Backend: opts.Backend,
		Actor:   opts.Actor,
		Now:     now,
		Ring:    monitor.NewRing(capacity),
		Stats:   monitor.NewDeclineStats(monitor.StatsConfig{Clock: now}),
		io:      io,

		output: opts.Output,
	}
	m := &model{ctx: ctx, cancel: cancel, noColor: opts.NoColor, isDark: true}
	ctx.top = m.top
	m.tabs[tabUsers] = []Screen{NewUsers("", false)}
	m.tabs[tabCards] = []Screen{NewCards(CardQuery{}, false)}
	var liveScreen, declinesScreen Screen
	if opts.Screens != nil {
		liveScreen, declinesScreen = opts.Screens(ctx)
	}
	if liveScreen == nil {
		liveScreen = placeholder{title: "Live", text: "The live stream is not available in this build."}
	}
	if declinesScreen == nil {
		declinesScreen = placeholder{title: "Declines", text: "The declines monitor is not available in this build."}
	}
	m.tabs[tabLive] = []Screen{liveScreen}
	m.tabs[tabDeclines] = []Screen{declinesScreen}
	m.cmd = newCmdLine(ctx)
	if opts.Backend != nil {
		m.health = opts.Backend.Health()
		ctx.health = &m.health
		m.noteHealth(backend.Health{API: backend.APIUnknown}, m.health)
	}
	return m
}

// Init asks the terminal's background colour, starts the tick and the
// feed, and loads the first view.
func (m *model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, tick(), m.activate(tabUsers)}
	if m.ctx.Backend != nil {
		m.feed = m.ctx.Backend.Subscribe()
		cmds = append(cmds, waitFeed(m.feed, m.ctx.IO()))
	}
	return tea.Batch(cmds...)
}

// tick is the header's one-second refresh, re-armed on every tick.
func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// restyle rebuilds the theme for the background and NO_COLOR.
func (m *model) restyle() {
	m.ctx.Styles = NewStyles(m.isDark, m.noColor)
	m.cmd.restyle(m.ctx)
}

// quit ends the session: secrets wiped, the feed closed, every command's
// I/O cancelled.
func (m *model) quit() tea.Cmd {
	m.quitting = true
	if m.dialog != nil {
		m.dialog.Close()
		m.dialog = nil
	}
	if m.feed != nil {
		m.feed.Close()
	}
	m.cancel()
	return tea.Quit
}
