package sshserve

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// A digit string (a card number) is searched for in this process's memory
// without the search ever holding it: the caller gives it encoded, each
// digit d as the letter 'a'+d, and every comparison decodes one byte.
// Otherwise the searcher's own copy would be one of the copies it finds.

// memForm is one way a number can sit in memory.
type memForm int

const (
	formPlain        memForm = iota // "4111111111111111": bytes, a string
	formGrouped                     // "4111 1111 1111 1111", as the dialog shows it
	formRunes                       // the plain form as []rune (UTF-32)
	formRunesGrouped                // the grouped form as []rune
	numForms
)

func (f memForm) String() string {
	return [...]string{"plain", "grouped", "runes", "runes grouped"}[f]
}

// memHit is one copy found: where, and the bytes around it with the number
// itself replaced by '#'.
type memHit struct {
	form   memForm
	addr   uintptr
	region string
	around string
}

// memCount is what a scan found.
type memCount struct {
	hits    []memHit
	scanned int64 // bytes read
	regions int   // regions read
	skipped int   // regions that could not be read
}

func (c memCount) total() int { return len(c.hits) }

// byForm counts the hits of each form, as "plain=1 grouped=2 …".
func (c memCount) byForm() string {
	var n [numForms]int
	for _, h := range c.hits {
		n[h.form]++
	}
	parts := make([]string, numForms)
	for f := range numForms {
		parts[f] = fmt.Sprintf("%s=%d", f, n[f])
	}
	return strings.Join(parts, " ")
}

// settleMemory collects twice, so that what the first pass found
// unreachable is swept and freed, and returns the freed pages to the
// operating system, which zeroes them.
func settleMemory() {
	runtime.GC()
	runtime.GC()
	debug.FreeOSMemory()
}

// countInMemory reads every readable and writable mapping of this process
// (heap, stacks, data, anonymous mappings) through /proc/self/mem and
// counts the copies of the encoded number in each form. Regions the kernel
// refuses to read are skipped and counted.
func countInMemory(encoded string) (memCount, error) {
	var c memCount
	if len(encoded) < 12 {
		return c, errors.New("count in memory: the number is too short to search for")
	}
	for _, ch := range []byte(encoded) {
		if ch < 'a' || ch > 'j' {
			return c, errors.New("count in memory: the number is not encoded as letters a–j")
		}
	}
	regions, err := writableRegions()
	if err != nil {
		return c, err
	}
	mem, err := os.Open("/proc/self/mem")
	if err != nil {
		return c, fmt.Errorf("count in memory: %w", err)
	}
	defer mem.Close()
	// The buffer that regions are read into lies outside the Go heap and
	// is left out of the scan, or every copy would be found twice.
	const chunk = 1 << 20
	buf, err := syscall.Mmap(-1, 0, chunk, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return c, fmt.Errorf("count in memory: map a buffer: %w", err)
	}
	defer func() { clear(buf); _ = syscall.Munmap(buf) }()
	own := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	m := newMatcher(encoded)
	overlap := m.longest() - 1
	for _, r := range regions {
		if r.start <= own && own < r.end {
			continue
		}
		c.regions++
		for off := r.start; off < r.end; {
			n := int(min(uintptr(chunk), r.end-off))
			got, err := mem.ReadAt(buf[:n], int64(off))
			if err != nil && !errors.Is(err, io.EOF) || got < n {
				c.skipped++
				break
			}
			c.scanned += int64(n)
			last := off+uintptr(n) >= r.end
			limit := n
			if !last {
				limit = n - overlap // later starts are seen in the next chunk
			}
			m.scan(buf[:n], limit, func(f memForm, at int, length int) {
				c.hits = append(c.hits, memHit{form: f, addr: off + uintptr(at), region: r.name, around: m.around(buf[:n], at, length)})
			})
			clear(buf[:n])
			if last {
				break
			}
			off += uintptr(limit)
		}
	}
	return c, nil
}

// region is one mapping of /proc/self/maps.
type region struct {
	start, end uintptr
	name       string
}

// writableRegions lists the mappings that are both readable and writable:
// every place a Go program's data can be.
func writableRegions() ([]region, error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return nil, fmt.Errorf("count in memory: %w", err)
	}
	defer f.Close()
	var out []region
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || !strings.HasPrefix(fields[1], "rw") {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		name := "anonymous"
		if len(fields) >= 6 {
			name = fields[5]
		}
		out = append(out, region{start: uintptr(start), end: uintptr(end), name: name})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("count in memory: read maps: %w", err)
	}
	return out, nil
}

// matcher finds the encoded number in each form.
type matcher struct {
	enc []byte
}

func newMatcher(encoded string) *matcher { return &matcher{enc: []byte(encoded)} }

// digit is the number's i-th digit as a byte, decoded for one comparison.
func (m *matcher) digit(i int) byte { return m.enc[i] - 'a' + '0' }

func (m *matcher) length(f memForm) int {
	n := len(m.enc)
	chars := n
	if f == formGrouped || f == formRunesGrouped {
		chars += (n - 1) / 4
	}
	if f == formRunes || f == formRunesGrouped {
		return chars * 4
	}
	return chars
}

func (m *matcher) longest() int { return m.length(formRunesGrouped) }

// at reports whether the number in form f starts at b[0].
func (m *matcher) at(b []byte, f memForm) bool {
	if len(b) < m.length(f) {
		return false
	}
	grouped := f == formGrouped || f == formRunesGrouped
	width := 1
	if f == formRunes || f == formRunesGrouped {
		width = 4
	}
	pos := 0
	for i := range m.enc {
		if grouped && i > 0 && i%4 == 0 {
			if !isChar(b[pos:], ' ', width) {
				return false
			}
			pos += width
		}
		if !isChar(b[pos:], m.digit(i), width) {
			return false
		}
		pos += width
	}
	return true
}

// isChar reports whether b starts with ch in the given width (1, or 4 for
// a little-endian rune).
func isChar(b []byte, ch byte, width int) bool {
	if b[0] != ch {
		return false
	}
	for k := 1; k < width; k++ {
		if b[k] != 0 {
			return false
		}
	}
	return true
}

// scan calls found for each copy that starts before limit in b.
func (m *matcher) scan(b []byte, limit int, found func(f memForm, at, length int)) {
	first := m.digit(0)
	for i := 0; i < limit; {
		j := bytes.IndexByte(b[i:limit], first)
		if j < 0 {
			return
		}
		i += j
		for f := range numForms {
			if m.at(b[i:], f) {
				found(f, i, m.length(f))
			}
		}
		i++
	}
}

// around is the printable text near a copy at b[at:at+length], with the
// copy itself shown as '#' and every other digit as 'd' (another copy may
// be near): enough to tell which buffer holds it.
func (m *matcher) around(b []byte, at, length int) string {
	lo, hi := max(at-48, 0), min(at+length+24, len(b))
	var sb strings.Builder
	for i := lo; i < hi; i++ {
		ch := b[i]
		switch {
		case i >= at && i < at+length:
			sb.WriteByte('#')
		case ch >= '0' && ch <= '9':
			sb.WriteByte('d')
		case ch >= 0x20 && ch < 0x7f:
			sb.WriteByte(ch)
		case ch == 0x1b:
			sb.WriteString("^[")
		default:
			sb.WriteByte('.')
		}
	}
	return sb.String()
}
