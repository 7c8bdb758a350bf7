#!/usr/bin/env bash
# Takes the README's screenshots from the real program: builds carddesk,
# runs `carddesk demo` in a detached tmux session at 120×40 (one shot at
# 80×24), drives it with keys to each view and dialog, captures the pane
# with its colours, and renders each capture to a PNG with freeze.
#
#   screenshots/take.sh            # from the repository root or anywhere
#
# Needs tmux and Go; freeze is fetched from the Go module proxy. It waits
# for what each shot must show by polling the pane, not by fixed sleeps.
# Not for CI: it needs a terminal multiplexer and takes a few minutes (the
# Declines shot waits for a few minutes of traffic; DECLINES_WAIT=seconds
# changes how long, default 150).
set -euo pipefail

if [ -n "${CI:-}" ]; then
	echo "take.sh: not run in CI" >&2
	exit 0
fi
command -v tmux >/dev/null || { echo "take.sh: tmux is required" >&2; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/screenshots"
work=$(mktemp -d)
session="carddesk-shots-$$"
freeze=(go run github.com/charmbracelet/freeze@v0.2.2)

cleanup() {
	tmux kill-session -t "$session" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "building carddesk"
(cd "$root" && go build -o "$work/carddesk" .)
echo "building freeze"
"${freeze[@]}" --version >/dev/null

# shotfix mends what freeze misreads in a tmux capture, and halves freeze's
# 4× PNGs so that the repository stays small.
mkdir "$work/shotfix"
printf 'module shotfix\n\ngo 1.26\n' >"$work/shotfix/go.mod"
cat >"$work/shotfix/main.go" <<'GO'
// shotfix prepares tmux captures for freeze and shrinks its PNGs.
//
//	shotfix ansi < capture > frame   re-states the colours at each line and
//	                                 after each change, as freeze reads lines
//	                                 one by one and knows no 39/49 (default)
//	shotfix shrink in.png out.png    halves a PNG (freeze draws at 4×)
package main

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"regexp"
	"strings"
)

type sgrState struct {
	flags  map[string]bool // "1", "2", "3", "4", "7", "9"
	fg, bg string          // "38;5;n", "38;2;r;g;b", "31", … or ""
}

func (s *sgrState) apply(params string) {
	if params == "" {
		params = "0"
	}
	p := strings.Split(strings.ReplaceAll(params, ":", ";"), ";")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case "0", "":
			s.flags, s.fg, s.bg = map[string]bool{}, "", ""
		case "1", "2", "3", "4", "5", "7", "8", "9":
			s.flags[c] = true
		case "22":
			delete(s.flags, "1")
			delete(s.flags, "2")
		case "23", "24", "25", "27", "28", "29":
			delete(s.flags, map[string]string{"23": "3", "24": "4", "25": "5", "27": "7", "28": "8", "29": "9"}[c])
		case "39":
			s.fg = ""
		case "49":
			s.bg = ""
		case "38", "48":
			n := 0
			if i+1 < len(p) && p[i+1] == "5" {
				n = 2
			} else if i+1 < len(p) && p[i+1] == "2" {
				n = 4
			}
			if i+n >= len(p) {
				return
			}
			v := strings.Join(p[i:i+n+1], ";")
			if c == "38" {
				s.fg = v
			} else {
				s.bg = v
			}
			i += n
		default:
			var k int
			fmt.Sscan(c, &k)
			switch {
			case k >= 30 && k <= 37, k >= 90 && k <= 97:
				s.fg = c
			case k >= 40 && k <= 47, k >= 100 && k <= 107:
				s.bg = c
			}
		}
	}
}

// String states the whole state from a reset. Reverse video, which freeze
// does not draw, becomes swapped colours (freeze's own default colours
// standing in for unset ones).
func (s *sgrState) String() string {
	var b strings.Builder
	b.WriteString("\x1b[0m")
	for _, f := range []string{"1", "2", "3", "4", "5", "8", "9"} {
		if s.flags[f] {
			b.WriteString("\x1b[" + f + "m")
		}
	}
	fg, bg := s.fg, s.bg
	if s.flags["7"] {
		fg, bg = swapped(s.bg, "38;2;23;23;23"), swapped(s.fg, "48;2;220;220;220")
	}
	if fg != "" {
		b.WriteString("\x1b[" + fg + "m")
	}
	if bg != "" {
		b.WriteString("\x1b[" + bg + "m")
	}
	return b.String()
}

// swapped turns a foreground colour into the same background colour and
// back; def stands in for an unset one.
func swapped(c, def string) string {
	switch {
	case c == "":
		return def
	case strings.HasPrefix(c, "38;"):
		return "48;" + c[3:]
	case strings.HasPrefix(c, "48;"):
		return "38;" + c[3:]
	}
	var k int
	fmt.Sscan(c, &k)
	switch {
	case k >= 30 && k <= 37:
		return fmt.Sprint(k + 10)
	case k >= 40 && k <= 47:
		return fmt.Sprint(k - 10)
	case k >= 90 && k <= 97:
		return fmt.Sprint(k + 10)
	case k >= 100 && k <= 107:
		return fmt.Sprint(k - 10)
	}
	return def
}

func fixANSI(r io.Reader, w io.Writer) error {
	re := regexp.MustCompile(`\x1b\[([0-9;:]*)m`)
	st := &sgrState{flags: map[string]bool{}}
	out := bufio.NewWriter(w)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		out.WriteString(st.String())
		last := 0
		for _, m := range re.FindAllStringSubmatchIndex(line, -1) {
			out.WriteString(line[last:m[0]])
			st.apply(line[m[2]:m[3]])
			out.WriteString(st.String())
			last = m[1]
		}
		out.WriteString(line[last:])
		out.WriteString("\x1b[0m\n")
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return out.Flush()
}

func shrink(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	src, err := png.Decode(f)
	f.Close()
	if err != nil {
		return err
	}
	b := src.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
	for y := 0; y < dst.Rect.Dy(); y++ {
		for x := 0; x < dst.Rect.Dx(); x++ {
			var r, g, bl, a uint32
			for dy := 0; dy < 2; dy++ {
				for dx := 0; dx < 2; dx++ {
					c := color.NRGBAModel.Convert(src.At(b.Min.X+2*x+dx, b.Min.Y+2*y+dy)).(color.NRGBA)
					r, g, bl, a = r+uint32(c.R), g+uint32(c.G), bl+uint32(c.B), a+uint32(c.A)
				}
			}
			dst.SetNRGBA(x, y, color.NRGBA{uint8(r / 4), uint8(g / 4), uint8(bl / 4), uint8(a / 4)})
		}
	}
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(o, dst); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}

func main() {
	var err error
	switch {
	case len(os.Args) == 2 && os.Args[1] == "ansi":
		err = fixANSI(os.Stdin, os.Stdout)
	case len(os.Args) == 4 && os.Args[1] == "shrink":
		err = shrink(os.Args[2], os.Args[3])
	default:
		err = fmt.Errorf("usage: shotfix ansi | shotfix shrink in.png out.png")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "shotfix:", err)
		os.Exit(1)
	}
}
GO
(cd "$work/shotfix" && go build -o "$work/shotfix-bin" .)

# capture prints the pane with its colours.
capture() { tmux capture-pane -t "$session" -e -p; }

# wait_for TOKEN...: polls the pane until it shows every token (20 s at most).
wait_for() {
	local deadline=$((SECONDS + 20)) pane tok missing
	while :; do
		pane=$(tmux capture-pane -t "$session" -p)
		missing=""
		for tok in "$@"; do
			if [[ "$pane" != *"$tok"* ]]; then
				missing="$tok"
				break
			fi
		done
		[ -z "$missing" ] && return 0
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "take.sh: timed out waiting for \"$missing\"; the pane:" >&2
			echo "$pane" >&2
			exit 1
		fi
		sleep 0.2
	done
}

# keys sends keys to the program (tmux key names: Enter, Escape, …).
keys() { tmux send-keys -t "$session" "$@"; }

# shot NAME: renders the pane as screenshots/NAME.png.
shot() {
	capture | "$work/shotfix-bin" ansi >"$work/$1.ansi"
	"${freeze[@]}" -l ansi -o "$work/$1.png" --window --padding 20 "$work/$1.ansi" >/dev/null
	"$work/shotfix-bin" shrink "$work/$1.png" "$out/$1.png"
	echo "  $1.png"
}

# wait_gone TOKEN: polls the pane until TOKEN has gone (a dialog closed),
# so that the next key is not read as part of an escape sequence.
wait_gone() {
	local deadline=$((SECONDS + 20))
	while [[ "$(tmux capture-pane -t "$session" -p)" == *"$1"* ]]; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "take.sh: timed out waiting for \"$1\" to go" >&2
			exit 1
		fi
		sleep 0.2
	done
}

echo "running carddesk demo in tmux"
tmux new-session -d -s "$session" -x 120 -y 40 \
	-e COLORTERM=truecolor -e TERM=xterm-256color -e USER=maya \
	"$work/carddesk demo --seed 1"

echo "taking the screenshots"
wait_for "1 Users" "relay live" "@"
shot users

keys 2
wait_for "•••• " "Status"
shot cards

keys 3
wait_for "● live" "declined" "✗ "
shot live

# A user's detail: the first user of the list.
keys 1 Enter
wait_for "Accounts" "Cards"
shot user_detail

# A card's detail and its dialogs: an active card, so that every action is
# open to a supervisor.
keys 2 /
keys -l "status:active"
keys Enter
wait_for "status:active"
wait_gone "terminated" # the filtered list has replaced the first one
keys Enter
wait_for "Transactions" "Holder"
shot card_detail

keys f
wait_for "Yes, freeze"
shot confirm
keys n
wait_gone "Yes, freeze"

keys t
wait_for "Terminate" "Reason"
shot terminate
keys Escape
wait_gone "Terminate card"

keys r
wait_for "Reason:"
keys -l "customer on the phone, verifying a charge"
keys Enter
wait_for "Hides in" "CVC"
shot reveal
keys Escape
wait_gone "Hides in"

# One shot at the smallest supported size.
keys 3
tmux resize-window -t "$session" -x 80 -y 24
wait_gone "Place" # redrawn at 80 columns, where Place gives way
wait_for "● live" "✗ "
shot live_80x24
tmux resize-window -t "$session" -x 120 -y 40

keys 4
wait_for "Top reasons" "Decline rate"
echo "  waiting ${DECLINES_WAIT:-150}s for a few minutes of declines"
sleep "${DECLINES_WAIT:-150}" # the chart has one column a minute: traffic has to happen
wait_for "Top reasons" "Decline rate"
shot declines

keys q
echo "done: $out"
