package tui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// DeclinesScreen is the monitor of the last hour: the decline rate as a
// chart of one-minute columns, the top reasons (with their group),
// merchants and cards, and an alert when the rate spikes. It reads the
// session's Stats, whose every read costs the hour's distinct keys at
// most, never the events.
type DeclinesScreen struct {
	cards cardBook
}

// topRows is the most rows a top list shows.
const topRows = 10

// NewDeclines returns the Declines view over ctx.Stats.
func NewDeclines(*Context) *DeclinesScreen { return &DeclinesScreen{} }

// Title names the view.
func (s *DeclinesScreen) Title() string { return "Declines" }

// Init looks up the top cards.
func (s *DeclinesScreen) Init(ctx *Context) tea.Cmd { return s.lookupCards(ctx) }

// Update keeps the top cards' numbers known as the figures move.
func (s *DeclinesScreen) Update(ctx *Context, msg tea.Msg) (Screen, tea.Cmd) {
	if s.cards.update(msg) {
		return s, nil
	}
	switch msg.(type) {
	case TickMsg, EventsMsg, tea.WindowSizeMsg, ShownMsg:
		return s, s.lookupCards(ctx)
	}
	return s, nil
}

// lookupCards asks for the top cards that are not known yet.
func (s *DeclinesScreen) lookupCards(ctx *Context) tea.Cmd {
	if ctx.Stats == nil || !ctx.shown(s) {
		return nil
	}
	top := ctx.Stats.Top(ctx.now(), topRows)
	ids := make([]string, len(top.Cards))
	for i, c := range top.Cards {
		ids[i] = c.Key
	}
	return s.cards.lookup(ctx, ids)
}

// Bindings: the monitor has no keys of its own.
func (s *DeclinesScreen) Bindings(*Context) []Binding { return nil }

// Capturing: the monitor takes no text.
func (s *DeclinesScreen) Capturing() bool { return false }

// View draws the alert line, the chart and the top lists: side by side
// when wide, abridged when narrow.
func (s *DeclinesScreen) View(ctx *Context, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if ctx.Stats == nil {
		return fitBlock(ctx.Styles.Muted.Render("No decline statistics in this session."), width, height)
	}
	now := ctx.now()
	lay := declinesLayout(width, height)
	top := ctx.Stats.Top(now, lay.topN)
	sp, spiking := ctx.Stats.Spike(now)
	recent := 0
	if spiking {
		recent = sp.Recent.Minutes
	}
	chart := rateChart(ctx.Styles, ctx.Stats.Rate(now), top, chartSpec{height: lay.chartH, width: width, hot: recent})
	panels := s.topPanels(ctx, top, lay, width)
	head := spikeLine(ctx.Styles, top, sp, spiking, width)
	if stale := relayStaleness(ctx); !stale.current {
		// Never "no spike" on figures that stopped: say why, how old they
		// are, and what they showed.
		head = stale.line(ctx.Styles, "figures")
		if spiking {
			head += " " + ctx.Styles.Alert.Render("▲ "+sp.String())
		} else if top.Attempts > 0 {
			head += ctx.Styles.Muted.Render(" · " + sp.String())
		}
		head = ansi.Truncate(head, width, "…")
	}
	return fitBlock(head+"\n"+chart+"\n"+panels, width, height)
}

// layout is how the height is shared between the chart and the lists.
type layout struct {
	chartH int // rows of bars
	topN   int // rows per top list
	wide   bool
}

// declinesLayout shares out height: the alert line, the chart's title and
// axes (3 lines) and bars, and the lists in bordered panels.
func declinesLayout(width, height int) layout {
	rest := height - 1 - 3 - 2 // alert; chart title and two axis lines; panel borders
	topN := min(topRows, max(3, rest/3))
	chartH := min(max(rest-topN-1, 2), 16) // -1: the panel's title
	chartH -= chartH % 2                   // even, so that the middle of the axis is half the scale
	return layout{chartH: chartH, topN: topN, wide: width >= 100}
}
