package main

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// benchScreen is a small terminal emulator: enough of xterm to follow what
// Bubble Tea's renderer sends — text with autowrap, cursor moves, erases,
// inserts and deletes of cells and lines, scroll regions and scrolls — and
// to say what the screen shows. The renderer writes only the cells that
// changed, so the byte stream alone cannot say which view is on screen;
// the benchmarks wait on this instead. Colours and modes are ignored. It is
// not safe for concurrent use.
type benchScreen struct {
	w, h     int
	cells    [][]rune // cells[y][x]; benchWide marks the right half of a wide rune
	x, y     int
	wrapNext bool // the last column was written: the next rune wraps first
	top, bot int  // the scroll region, inclusive
	noWrap   bool // DECAWM reset
	insert   bool // IRM set
	last     rune // the last rune printed, for REP
	savedX   int
	savedY   int
	p        *ansi.Parser
}

// benchWide fills the cell a wide rune covers beside its own.
const benchWide rune = -1

func newBenchScreen(w, h int) *benchScreen {
	s := &benchScreen{w: w, h: h, p: ansi.NewParser()}
	s.cells = make([][]rune, h)
	s.reset()
	s.p.SetHandler(ansi.Handler{
		Print:     s.print,
		Execute:   s.execute,
		HandleCsi: s.csi,
		HandleEsc: s.esc,
	})
	return s
}

// reset is RIS: a blank screen, the cursor home, the modes at their
// defaults.
func (s *benchScreen) reset() {
	for y := range s.cells {
		s.cells[y] = blankLine(s.w)
	}
	s.x, s.y, s.wrapNext = 0, 0, false
	s.top, s.bot = 0, s.h-1
	s.noWrap, s.insert = false, false
	s.savedX, s.savedY = 0, 0
}

func blankLine(w int) []rune {
	l := make([]rune, w)
	for i := range l {
		l[i] = ' '
	}
	return l
}

// Write feeds output to the screen; a sequence may be split across writes.
func (s *benchScreen) Write(b []byte) (int, error) {
	for _, c := range b {
		s.p.Advance(c)
	}
	return len(b), nil
}

// Line is row y as text, trailing blanks removed.
func (s *benchScreen) Line(y int) string {
	if y < 0 || y >= s.h {
		return ""
	}
	var b strings.Builder
	for _, r := range s.cells[y] {
		if r != benchWide {
			b.WriteRune(r)
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// Text is the whole screen, one line per row.
func (s *benchScreen) Text() string {
	lines := make([]string, s.h)
	for y := range lines {
		lines[y] = s.Line(y)
	}
	return strings.Join(lines, "\n")
}

// Contains reports whether some row holds sub.
func (s *benchScreen) Contains(sub string) bool {
	for y := range s.h {
		if strings.Contains(s.Line(y), sub) {
			return true
		}
	}
	return false
}

// hasRow reports whether one row holds every word.
func (s *benchScreen) hasRow(words ...string) bool {
	for y := range s.h {
		line := s.Line(y)
		all := true
		for _, w := range words {
			if !strings.Contains(line, w) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// loading reports whether anything on screen is still loading.
func (s *benchScreen) loading() bool {
	return strings.Contains(strings.ToLower(s.Text()), "loading")
}

func runeWidth(r rune) int {
	if r >= 0x20 && r < 0x7f {
		return 1
	}
	return ansi.StringWidthWc(string(r))
}

func (s *benchScreen) print(r rune) {
	wd := runeWidth(r)
	if wd == 0 {
		return // a combining mark: the cell keeps its base rune
	}
	if s.wrapNext && !s.noWrap {
		s.x = 0
		s.lineFeed()
	}
	s.wrapNext = false
	if s.x+wd > s.w {
		if s.noWrap {
			s.x = s.w - wd
		} else {
			s.x = 0
			s.lineFeed()
		}
	}
	if s.insert {
		s.insertCells(wd)
	}
	s.set(s.x, r)
	if wd == 2 {
		s.set(s.x+1, benchWide)
	}
	s.last = r
	s.x += wd
	if s.x >= s.w {
		s.x = s.w - 1
		s.wrapNext = !s.noWrap
	}
}

// set writes one cell of the cursor's row, blanking the other half of any
// wide rune it splits.
func (s *benchScreen) set(x int, r rune) {
	line := s.cells[s.y]
	if line[x] == benchWide && x > 0 && r != benchWide {
		line[x-1] = ' '
	}
	if x+1 < s.w && line[x+1] == benchWide && r != benchWide {
		line[x+1] = ' '
	}
	line[x] = r
}

func (s *benchScreen) execute(b byte) {
	switch b {
	case '\r':
		s.x, s.wrapNext = 0, false
	case '\n', '\v', '\f':
		s.lineFeed()
		s.wrapNext = false
	case '\b':
		s.x, s.wrapNext = max(s.x-1, 0), false
	case '\t':
		s.tab(1)
	}
}

// lineFeed moves down a row, scrolling the region at its bottom margin.
func (s *benchScreen) lineFeed() {
	switch {
	case s.y == s.bot:
		s.scrollUp(1)
	case s.y < s.h-1:
		s.y++
	}
}

func (s *benchScreen) reverseIndex() {
	switch {
	case s.y == s.top:
		s.scrollDown(1)
	case s.y > 0:
		s.y--
	}
}

// scrollUp moves the region's rows up n, blank rows entering at its bottom.
func (s *benchScreen) scrollUp(n int) {
	n = min(n, s.bot-s.top+1)
	copy(s.cells[s.top:s.bot+1], s.cells[s.top+n:s.bot+1])
	for y := s.bot - n + 1; y <= s.bot; y++ {
		s.cells[y] = blankLine(s.w)
	}
}

// scrollDown moves the region's rows down n, blank rows entering at its top.
func (s *benchScreen) scrollDown(n int) {
	n = min(n, s.bot-s.top+1)
	copy(s.cells[s.top+n:s.bot+1], s.cells[s.top:s.bot+1-n])
	for y := s.top; y < s.top+n; y++ {
		s.cells[y] = blankLine(s.w)
	}
}

// tab moves n tab stops (every 8 columns) right, or left when n < 0.
func (s *benchScreen) tab(n int) {
	s.wrapNext = false
	for ; n > 0; n-- {
		s.x = min((s.x/8+1)*8, s.w-1)
	}
	for ; n < 0; n++ {
		s.x = max((s.x-1)/8*8, 0)
	}
}

func (s *benchScreen) esc(cmd ansi.Cmd) {
	if cmd.Intermediate() != 0 {
		return // charset designations and the like
	}
	switch cmd.Final() {
	case 'D':
		s.lineFeed()
	case 'E':
		s.x = 0
		s.lineFeed()
	case 'M':
		s.reverseIndex()
	case '7':
		s.savedX, s.savedY = s.x, s.y
	case '8':
		s.x, s.y = s.savedX, s.savedY
	case 'c':
		s.reset()
	}
	s.wrapNext = false
}

func (s *benchScreen) csi(cmd ansi.Cmd, params ansi.Params) {
	arg := func(i, def int) int {
		v, _, _ := params.Param(i, def)
		if v == 0 && def == 1 {
			return 1 // a zero count means one
		}
		return v
	}
	if cmd.Intermediate() != 0 {
		return // DECRQM, DECSCUSR and the like
	}
	switch cmd.Prefix() {
	case '?':
		s.privateMode(cmd.Final(), params)
		return
	case 0:
	default:
		return
	}
	wrap := s.wrapNext
	s.wrapNext = false
	switch cmd.Final() {
	case 'A':
		s.y = max(s.y-arg(0, 1), s.marginAbove())
	case 'B', 'e':
		s.y = min(s.y+arg(0, 1), s.marginBelow())
	case 'C', 'a':
		s.x = min(s.x+arg(0, 1), s.w-1)
	case 'D':
		s.x = max(s.x-arg(0, 1), 0)
	case 'E':
		s.y, s.x = min(s.y+arg(0, 1), s.marginBelow()), 0
	case 'F':
		s.y, s.x = max(s.y-arg(0, 1), s.marginAbove()), 0
	case 'G', '`':
		s.x = clamp(arg(0, 1)-1, 0, s.w-1)
	case 'd':
		s.y = clamp(arg(0, 1)-1, 0, s.h-1)
	case 'H', 'f':
		s.y, s.x = clamp(arg(0, 1)-1, 0, s.h-1), clamp(arg(1, 1)-1, 0, s.w-1)
	case 'I':
		s.tab(arg(0, 1))
	case 'Z':
		s.tab(-arg(0, 1))
	case 'J':
		s.eraseDisplay(arg(0, 0))
	case 'K':
		s.eraseLine(arg(0, 0))
	case 'X':
		s.blank(s.x, min(s.x+arg(0, 1), s.w))
	case 'b':
		s.wrapNext = wrap
		if s.last != 0 {
			for range arg(0, 1) {
				s.print(s.last)
			}
		}
	case '@':
		s.insertCells(arg(0, 1))
	case 'P':
		s.deleteCells(arg(0, 1))
	case 'L':
		s.insertLines(arg(0, 1))
	case 'M':
		s.deleteLines(arg(0, 1))
	case 'S':
		if len(params) <= 1 {
			s.scrollUp(arg(0, 1))
		}
	case 'T':
		if len(params) <= 1 {
			s.scrollDown(arg(0, 1))
		}
	case 'r':
		top, bot := arg(0, 1)-1, arg(1, s.h)-1
		if bot <= 0 || bot >= s.h {
			bot = s.h - 1
		}
		if top < bot {
			s.top, s.bot = top, bot
			s.x, s.y = 0, 0
		}
	case 'h', 'l':
		if arg(0, 0) == 4 {
			s.insert = cmd.Final() == 'h'
		}
		s.wrapNext = wrap
	case 's':
		s.savedX, s.savedY = s.x, s.y
	case 'u':
		s.x, s.y = s.savedX, s.savedY
	default:
		s.wrapNext = wrap // SGR and the rest leave the cursor alone
	}
}

// privateMode follows autowrap and the alternate screen.
func (s *benchScreen) privateMode(final byte, params ansi.Params) {
	if final != 'h' && final != 'l' {
		return
	}
	set := final == 'h'
	for i := range params {
		switch params[i].Param(0) {
		case 7:
			s.noWrap = !set
		case 1049, 1047, 47:
			// Either way the screen now shown is one this emulator has not
			// seen drawn: start it blank.
			for y := range s.cells {
				s.cells[y] = blankLine(s.w)
			}
			s.wrapNext = false
		}
	}
}

// marginAbove is how far up CUU may go: the region's top, when the cursor
// is inside the region.
func (s *benchScreen) marginAbove() int {
	if s.y >= s.top {
		return s.top
	}
	return 0
}

func (s *benchScreen) marginBelow() int {
	if s.y <= s.bot {
		return s.bot
	}
	return s.h - 1
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// blank erases cells [from, to) of the cursor's row.
func (s *benchScreen) blank(from, to int) {
	for x := from; x < to; x++ {
		s.set(x, ' ')
	}
}

func (s *benchScreen) eraseLine(mode int) {
	switch mode {
	case 0:
		s.blank(s.x, s.w)
	case 1:
		s.blank(0, s.x+1)
	case 2:
		s.blank(0, s.w)
	}
}

func (s *benchScreen) eraseDisplay(mode int) {
	switch mode {
	case 0:
		s.blank(s.x, s.w)
		for y := s.y + 1; y < s.h; y++ {
			s.cells[y] = blankLine(s.w)
		}
	case 1:
		s.blank(0, s.x+1)
		for y := range s.y {
			s.cells[y] = blankLine(s.w)
		}
	case 2, 3:
		for y := range s.cells {
			s.cells[y] = blankLine(s.w)
		}
	}
}

// insertCells shifts the row right of the cursor n cells right.
func (s *benchScreen) insertCells(n int) {
	line := s.cells[s.y]
	n = min(n, s.w-s.x)
	copy(line[s.x+n:], line[s.x:s.w-n])
	s.blank(s.x, s.x+n)
}

// deleteCells shifts the row right of the cursor n cells left.
func (s *benchScreen) deleteCells(n int) {
	line := s.cells[s.y]
	n = min(n, s.w-s.x)
	copy(line[s.x:], line[s.x+n:])
	s.blank(s.w-n, s.w)
}

// insertLines and deleteLines work inside the scroll region, from the
// cursor's row, and return the cursor to the left margin.
func (s *benchScreen) insertLines(n int) {
	if s.y < s.top || s.y > s.bot {
		return
	}
	top := s.top
	s.top = s.y
	s.scrollDown(n)
	s.top, s.x = top, 0
}

func (s *benchScreen) deleteLines(n int) {
	if s.y < s.top || s.y > s.bot {
		return
	}
	top := s.top
	s.top = s.y
	s.scrollUp(n)
	s.top, s.x = top, 0
}
