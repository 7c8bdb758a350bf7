package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/tui/monitor"
)

// chartAxis is the width of the % axis: "12.5%" and the axis line.
const chartAxis = 7

// blocks are the bar characters by eighths of a row, one to eight.
const blocks = "▁▂▃▄▅▆▇█"

// eighth is the bar character filled e eighths (0 to 8) of a row.
func eighth(e int) string {
	if e <= 0 {
		return " "
	}
	const size = len("█")
	return blocks[(e-1)*size : e*size]
}

// chartSpec is the chart's size, and how many of the newest minutes are
// spiking (drawn in the alert colour; 0 when there is no spike).
type chartSpec struct {
	height, width int
	hot           int
}

// column is one screen column of the chart: one minute or more.
type column struct {
	attempts, declines int
	hot                bool
}

func (c column) rate() float64 {
	if c.attempts == 0 {
		return 0
	}
	return float64(c.declines) / float64(c.attempts)
}

// rateChart draws the decline rate of the hour: a title with the hour's
// totals, bars of block characters on a % axis scaled to the highest
// column, and a time axis. The minutes are spread over the width: a minute
// gets one or more columns when wide, columns merge minutes when narrow.
func rateChart(st *Styles, buckets []monitor.Bucket, top monitor.Ranking, spec chartSpec) string {
	pw := spec.width - chartAxis
	if pw < 1 || len(buckets) == 0 || spec.height < 1 {
		return ""
	}
	cols := spreadColumns(buckets, pw, spec.hot)
	peak := 0.0
	for _, c := range cols {
		peak = max(peak, c.rate())
	}
	scale := chartScale(peak)

	lines := make([]string, 0, spec.height+3)
	title := st.Title.Render("Decline rate · last 60 min")
	totals := fmt.Sprintf("%s attempts · %s declines (%s)", thousands(uint64(top.Attempts)),
		thousands(uint64(top.Declines)), percentText(ratio(top.Declines, top.Attempts)))
	lines = append(lines, joinEnds(title, st.Muted.Render(totals), spec.width))

	h := spec.height
	fill := make([]int, len(cols)) // bar heights in eighths of a row
	for i, c := range cols {
		fill[i] = int(math.Round(c.rate() / scale * float64(h*8)))
		if c.declines > 0 && fill[i] == 0 {
			fill[i] = 1 // a decline always shows
		}
	}
	for r := range h {
		level := h - 1 - r // rows counted from the bottom
		var label string
		switch r {
		case 0:
			label = axisText(scale) + " ┤"
		case h / 2:
			if h >= 4 && h%2 == 0 {
				label = axisText(scale/2) + " ┤"
			}
		}
		if label == "" {
			label = "│"
		}
		lines = append(lines, st.Muted.Render(padLeft(label, chartAxis))+barRow(st, cols, fill, level))
	}
	lines = append(lines, st.Muted.Render(padLeft("0% ┼", chartAxis)+strings.Repeat("─", pw)))
	lines = append(lines, st.Muted.Render(timeAxis(pw)))
	return strings.Join(lines, "\n")
}

// barRow is one row of bars at level (0 = bottom), the hot columns in the
// alert colour.
func barRow(st *Styles, cols []column, fill []int, level int) string {
	var calm, hot strings.Builder
	for i, c := range cols {
		e := max(0, min(fill[i]-level*8, 8))
		if c.hot {
			hot.WriteString(eighth(e))
		} else {
			calm.WriteString(eighth(e))
		}
	}
	// Hot columns are the newest, so they form the end of the row.
	return st.ChartBar.Render(calm.String()) + st.ChartDecline.Render(hot.String())
}

// spreadColumns maps the minutes onto pw screen columns. A column covers
// the minutes [i·n/pw, (i+1)·n/pw), at least one; the newest hot minutes
// make their columns hot.
func spreadColumns(buckets []monitor.Bucket, pw, hot int) []column {
	n := len(buckets)
	cols := make([]column, pw)
	for i := range cols {
		lo := i * n / pw
		hi := max((i+1)*n/pw, lo+1)
		for _, b := range buckets[lo:min(hi, n)] {
			cols[i].attempts += b.Attempts
			cols[i].declines += b.Declines
		}
		cols[i].hot = hot > 0 && hi > n-hot
	}
	return cols
}

// chartScale is the top of the % axis: a round figure above peak.
func chartScale(peak float64) float64 {
	for _, s := range []float64{0.05, 0.1, 0.2, 0.25, 0.5} {
		if peak <= s {
			return s
		}
	}
	return 1
}

// timeAxis labels the minutes under the bars: -60m … now.
func timeAxis(pw int) string {
	line := []rune(strings.Repeat(" ", chartAxis+pw))
	put := func(at int, s string) {
		at = max(0, min(at, len(line)-len(s)))
		copy(line[at:], []rune(s))
	}
	put(chartAxis, "-60m")
	if pw >= 40 {
		for _, m := range []int{45, 30, 15} {
			put(chartAxis+pw*(60-m)/60-2, fmt.Sprintf("-%dm", m))
		}
	} else {
		put(chartAxis+pw/2-2, "-30m")
	}
	put(len(line)-3, "now")
	return string(line)
}

// axisText labels the % axis with a round figure: "25%", "12.5%".
func axisText(r float64) string {
	return strconv.FormatFloat(math.Round(r*1000)/10, 'f', -1, 64) + "%"
}

// ratio is part/whole, 0 for nothing.
func ratio(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// percentText renders a rate as a percentage, a decimal only when small.
func percentText(r float64) string {
	p := r * 100
	if p != 0 && p < 10 && math.Abs(p-math.Round(p)) > 0.05 {
		return fmt.Sprintf("%.1f%%", p)
	}
	return fmt.Sprintf("%.0f%%", p)
}

// spikeLine is the alert when the rate spikes, and the same figures,
// quietly, when it does not.
func spikeLine(st *Styles, top monitor.Ranking, sp monitor.Spike, spiking bool, width int) string {
	if spiking {
		return st.Alert.Render(ansi.Truncate("▲ "+sp.String(), max(width-2, 1), "…"))
	}
	if top.Attempts == 0 {
		return st.Muted.Render("No authorisations in the last hour yet.")
	}
	return st.Good.Render("● no spike") + st.Muted.Render(" · "+sp.String())
}
