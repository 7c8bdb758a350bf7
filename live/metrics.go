package live

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Rejection reasons, as the rejected-events counter labels them.
const (
	reasonMethod           = "method_not_allowed"
	reasonUnknownProvider  = "unknown_provider"
	reasonContentType      = "unsupported_media_type"
	reasonTooLarge         = "body_too_large"
	reasonReadBody         = "body_unreadable"
	reasonSigMissing       = "signature_missing"
	reasonSigMismatch      = "signature_mismatch"
	reasonSigMalformed     = "signature_malformed"
	reasonTimestampStale   = "timestamp_stale"
	reasonTimestampFuture  = "timestamp_future"
	reasonMalformedJSON    = "malformed_json"
	reasonInvalidEvent     = "invalid_event"
	reasonInvalidID        = "invalid_id"
	reasonTooOld           = "older_than_retention"
	reasonStoreUnavailable = "store_unavailable"
	reasonSenderGone       = "sender_gone"
	reasonShuttingDown     = "shutting_down"
)

// unknownProvider labels rejections of a provider the relay does not know,
// so that arbitrary path segments cannot grow the label set.
const unknownProvider = "unknown"

// metrics are the relay's Prometheus metrics, on a registry of its own.
type metrics struct {
	reg *prometheus.Registry

	accepted   *prometheus.CounterVec // provider
	rejected   *prometheus.CounterVec // provider, reason
	duplicates *prometheus.CounterVec // provider
	commit     prometheus.Histogram
	lag        prometheus.Histogram
	behind     prometheus.Counter

	// lastEvent is the Unix nanoseconds of the last accepted event.
	lastEvent atomic.Int64
}

// newMetrics registers the relay's metrics; subscribers and store are read
// at scrape time (store from the health probe: at most one check a
// second).
func newMetrics(subscribers func() int, store func() StoreHealth) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		accepted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "carddesk_relay_events_accepted_total",
			Help: "Webhook events verified and durably stored for the first time.",
		}, []string{"provider"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "carddesk_relay_events_rejected_total",
			Help: "Webhook deliveries refused, by provider and reason.",
		}, []string{"provider", "reason"}),
		duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "carddesk_relay_events_duplicate_total",
			Help: "Webhook deliveries of an event already stored (acknowledged, kept once).",
		}, []string{"provider"}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "carddesk_relay_store_commit_seconds",
			Help:    "Time from a store append call to its return (durable).",
			Buckets: prometheus.ExponentialBuckets(0.00025, 2, 14), // 0.25 ms … 2 s
		}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "carddesk_relay_stream_lag_seconds",
			Help:    "Age of the oldest event of each stream frame when it is sent (now minus received time).",
			Buckets: prometheus.ExponentialBuckets(0.00025, 2, 18), // 0.25 ms … 32 s
		}),
		behind: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "carddesk_relay_subscribers_behind_total",
			Help: "Times a stream subscriber fell behind the live flow and was caught up from the store.",
		}),
	}
	m.reg.MustRegister(
		m.accepted, m.rejected, m.duplicates, m.commit, m.lag, m.behind,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "carddesk_relay_subscribers",
			Help: "Stream subscribers connected now.",
		}, func() float64 { return float64(subscribers()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "carddesk_relay_last_event_timestamp_seconds",
			Help: "Unix time the last event was accepted (0 when none).",
		}, func() float64 { return float64(m.lastEvent.Load()) / 1e9 }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "carddesk_relay_store_ok",
			Help: "1 while the store acknowledges webhooks (writable, its file intact and in place), else 0.",
		}, func() float64 {
			if h := store(); h.Writable && h.Problem == "" {
				return 1
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "carddesk_relay_store_integrity_ok",
			Help: "1 while the store's data is intact (checked at open, and by every read since), else 0.",
		}, func() float64 {
			if i := store().Integrity; i == "ok" || i == "" {
				return 1
			}
			return 0
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "carddesk_relay_store_read_errors_total",
			Help: "Store reads that failed (stream replays, health checks, prunes), not counting reads given up by their caller.",
		}, func() float64 { return float64(store().ReadErrors) }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// markAccepted counts a new event received at t.
func (m *metrics) markAccepted(provider string, t time.Time) {
	m.accepted.WithLabelValues(provider).Inc()
	m.markLastEvent(t)
}

// markLastEvent moves the last-event time forward to t.
func (m *metrics) markLastEvent(t time.Time) {
	n := t.UnixNano()
	for {
		old := m.lastEvent.Load()
		if old >= n || m.lastEvent.CompareAndSwap(old, n) {
			return
		}
	}
}

// lastEventAt is the time of the last accepted event (zero when none).
func (m *metrics) lastEventAt() time.Time {
	n := m.lastEvent.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// observeSend is the stream's OnSend hook: the lag of a frame's oldest event.
func (m *metrics) observeSend(_ int, oldestReceivedAt time.Time) {
	if oldestReceivedAt.IsZero() {
		return
	}
	m.lag.Observe(time.Since(oldestReceivedAt).Seconds())
}
