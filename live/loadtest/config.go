package loadtest

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"time"
)

// Defaults of Config's zero fields.
const (
	DefaultDuration    = 10 * time.Second
	DefaultConcurrency = 16
	DefaultSubscribers = 3
	DefaultSize        = 1024
	DefaultDrainWait   = 10 * time.Second
	DefaultLiveWait    = 10 * time.Second
	postTimeout        = 10 * time.Second
	maxSize            = 200 << 10 // under the relay's body cap
)

// Config describes one load run against one relay.
type Config struct {
	URL           string        // relay base URL: http://host:port
	Token         string        // the relay's stream token
	VydapaySecret string        // the relay's Vydapay webhook secret, to sign with
	Rate          float64       // events per second over all connections; 0 = as fast as possible
	Duration      time.Duration // how long to POST; 0 → DefaultDuration
	Concurrency   int           // POSTing connections; 0 → DefaultConcurrency
	Subscribers   int           // stream subscribers; 0 → DefaultSubscribers, negative → none
	Size          int           // approximate body bytes; 0 → DefaultSize
	DrainWait     time.Duration // how long to wait for deliveries after the last POST; 0 → DefaultDrainWait
	LiveWait      time.Duration // how long to wait for subscribers to go live; 0 → DefaultLiveWait
	HealthRate    float64       // GETs of /healthz per second, without a token, during the POSTs; 0 → none
	Logger        *slog.Logger
}

func (c Config) withDefaults() (Config, error) {
	if c.Duration == 0 {
		c.Duration = DefaultDuration
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Subscribers == 0 {
		c.Subscribers = DefaultSubscribers
	}
	if c.Subscribers < 0 {
		c.Subscribers = 0
	}
	if c.Size == 0 {
		c.Size = DefaultSize
	}
	if c.DrainWait == 0 {
		c.DrainWait = DefaultDrainWait
	}
	if c.LiveWait == 0 {
		c.LiveWait = DefaultLiveWait
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	u, err := url.Parse(c.URL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return c, fmt.Errorf("load config: relay URL %q: want http://host:port", c.URL)
	case c.VydapaySecret == "":
		return c, errors.New("load config: no Vydapay webhook secret to sign with")
	case c.Subscribers > 0 && c.Token == "":
		return c, errors.New("load config: no stream token for the subscribers")
	case math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0) || c.Rate < 0:
		return c, fmt.Errorf("load config: rate %v: want zero (as fast as possible) or more", c.Rate)
	case c.Duration < 0 || c.DrainWait < 0 || c.LiveWait < 0:
		return c, errors.New("load config: durations must not be negative")
	case math.IsNaN(c.HealthRate) || math.IsInf(c.HealthRate, 0) || c.HealthRate < 0:
		return c, fmt.Errorf("load config: /healthz rate %v: want zero (none) or more", c.HealthRate)
	case c.Concurrency < 0:
		return c, fmt.Errorf("load config: concurrency %d: must be positive", c.Concurrency)
	case c.Size < 0 || c.Size > maxSize:
		return c, fmt.Errorf("load config: size %d: want 1 to %d bytes", c.Size, maxSize)
	}
	return c, nil
}
