package live_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/carddesk/carddesk/api"
)

// metricSet is a parsed /metrics answer.
type metricSet map[string]*dto.MetricFamily

// scrape fetches and parses the relay's metrics, showing token.
func scrape(t testing.TB, base, token string) metricSet {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return parseMetrics(t, resp.StatusCode, resp.Header, resp.Body)
}

// scrapeHandler asks h for its metrics without a server in between.
func scrapeHandler(t testing.TB, h http.Handler) metricSet {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return parseMetrics(t, rec.Code, rec.Header(), rec.Body)
}

func parseMetrics(t testing.TB, status int, h http.Header, body io.Reader) metricSet {
	t.Helper()
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d, %q", status, h.Get("Content-Type"))
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(body)
	if err != nil {
		t.Fatalf("/metrics is not Prometheus text: %v", err)
	}
	return fams
}

// value is the sample of name whose labels include the given name/value
// pairs; a histogram's count is asked for as name_count. It is 0 when no
// sample matches.
func (m metricSet) value(name string, labels ...string) float64 {
	base, isCount := strings.CutSuffix(name, "_count")
	fam, ok := m[name]
	if !ok && isCount {
		fam = m[base]
	}
	if fam == nil {
		return 0
	}
next:
	for _, s := range fam.GetMetric() {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, lp := range s.GetLabel() {
				if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case s.Histogram != nil:
			return float64(s.GetHistogram().GetSampleCount())
		case s.Counter != nil:
			return s.GetCounter().GetValue()
		case s.Gauge != nil:
			return s.GetGauge().GetValue()
		}
	}
	return 0
}

func schemes(name string, s api.WebhookScheme) map[string]api.WebhookScheme {
	return map[string]api.WebhookScheme{name: s}
}
