package loadtest

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/carddesk/carddesk/api/stats"
)

// Row is one labelled result of a report.
type Row struct {
	Store  string
	Result Result
	Note   string // printed under the table when set
}

// WriteReport prints rows as a compact table, then, when rows hold a
// "sqlite" and a "no-op" result, the durable/no-store ratio.
func WriteReport(out io.Writer, cfg Config, rows []Row) error {
	cfg, _ = cfg.withDefaults() // for the defaults only; Run has checked cfg
	rate := "as fast as possible"
	if cfg.Rate > 0 {
		rate = strconv.FormatFloat(cfg.Rate, 'f', -1, 64) + " events/s"
	}
	size := cfg.Size
	if len(rows) > 0 && rows[0].Result.BodyBytes > 0 {
		size = rows[0].Result.BodyBytes
	}
	fmt.Fprintf(out, "%v per store, %d connections, %d subscribers, rate %s, %d-byte Vydapay events\n\n",
		cfg.Duration, cfg.Concurrency, cfg.Subscribers, rate, size)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "store\taccepted\tevents/s\tPOST p50\tp99\tmax\tPOST→sub p50\tp99\tmax\tfailed\tlost\t")
	for _, r := range rows {
		x := r.Result
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t\n", r.Store, x.Accepted+x.Duplicates,
			stats.Thousands(x.AcceptedPerSecond()), ms(x.Post.P50), ms(x.Post.P99), ms(x.Post.Max),
			ms(x.Delivery.P50), ms(x.Delivery.P99), ms(x.Delivery.Max), x.Failed, x.Lost)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rows {
		if r.Note != "" {
			fmt.Fprintf(out, "%s: %s\n", r.Store, r.Note)
		}
	}
	for _, r := range rows {
		if x := r.Result; x.HealthAnswers > 0 && x.HealthElapsed > 0 {
			fmt.Fprintf(out, "%s: /healthz beside the POSTs, no token: %s answers/s (asked for %s/s)\n",
				r.Store, stats.Thousands(float64(x.HealthAnswers)/x.HealthElapsed.Seconds()), stats.Thousands(cfg.HealthRate))
		}
	}
	for _, r := range rows {
		x := r.Result
		if x.Repeated+x.OutOfOrder+x.Behind+x.Duplicates > 0 {
			fmt.Fprintf(out, "%s: %d repeated deliveries, %d out of order, %d times behind, %d duplicate acks\n",
				r.Store, x.Repeated, x.OutOfOrder, x.Behind, x.Duplicates)
		}
	}
	if durable, nop, ok := pair(rows); ok && nop.AcceptedPerSecond() > 0 {
		fmt.Fprintf(out, "\ndurable/no-store ratio: %.2f\n", durable.AcceptedPerSecond()/nop.AcceptedPerSecond())
	}
	return nil
}

func pair(rows []Row) (durable, nop Result, ok bool) {
	var haveD, haveN bool
	for _, r := range rows {
		switch r.Store {
		case "sqlite":
			durable, haveD = r.Result, true
		case "no-op":
			nop, haveN = r.Result, true
		}
	}
	return durable, nop, haveD && haveN
}

// ms prints a duration in milliseconds with two decimals.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + "ms"
}
