package sandbox

import (
	"context"
	"sync"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// runWorkers runs the simulator of each provider and webhook delivery
// until ctx is done, and returns once they have all stopped. It runs
// for as long as ctx, even with nothing to simulate: deliveries to
// endpoints registered later need it.
func (s *Server) runWorkers(ctx context.Context) error {
	s.wh.start(ctx)
	var wg sync.WaitGroup
	for i, p := range []string{vaultspay.Provider, vydapay.Provider} {
		sim := s.newSimulator(p, uint64(i+1))
		wg.Go(func() { sim.run(ctx) })
	}
	<-ctx.Done()
	wg.Wait()
	s.wh.wait()
	return nil
}
