package panthertest_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

// TestConcurrentClients runs readers and writers at once; run it with -race.
func TestConcurrentClients(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithQueryPolls(1))
	alerts := s.Alerts()
	const workers, iterations = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*iterations)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range iterations {
				var err error
				switch (w + i) % 4 {
				case 0:
					r, rerr := tryDo(s, `mutation($id: ID!) { updateAlertStatusById(input: {ids: [$id], status: TRIAGED}) { alerts { id status } } }`,
						map[string]any{"id": alerts[(w*iterations+i)%len(alerts)].ID})
					if rerr != nil {
						err = rerr
					} else if len(r.Errors) > 0 {
						err = fmt.Errorf("update: %+v", r.Errors)
					}
				case 1:
					r, rerr := tryDo(s, `{ alerts(input: {detectionId: "AWS.CloudTrail.RootActivity", pageSize: 5}) { edges { node { id status assignee { email } events { edges { node } } } } } }`, nil)
					if rerr != nil {
						err = rerr
					} else if len(r.Errors) > 0 {
						err = fmt.Errorf("list: %+v", r.Errors)
					}
				case 2:
					r, rerr := tryDo(s, `mutation { executeDataLakeQuery(input: {sql: "SELECT 1"}) { id } }`, nil)
					if rerr != nil {
						err = rerr
					} else if len(r.Errors) > 0 {
						err = fmt.Errorf("execute: %+v", r.Errors)
					}
				case 3:
					r, rerr := tryDo(s, fmt.Sprintf(`mutation { createAlertComment(input: {alertId: %q, body: "w%d i%d"}) { comment { id } } }`, alerts[0].ID, w, i), nil)
					if rerr != nil {
						err = rerr
					} else if len(r.Errors) > 0 {
						err = fmt.Errorf("comment: %+v", r.Errors)
					}
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := s.Stats()
	if st.Requests != workers*iterations {
		t.Errorf("Requests = %d, want %d", st.Requests, workers*iterations)
	}
	if got := st.Mutations["createAlertComment"]; got != 20 {
		t.Errorf("createAlertComment applied %d times, want 20", got)
	}
	if a, _ := s.Alert(alerts[0].ID); len(a.Comments) != 20 {
		t.Errorf("alert has %d comments, want 20", len(a.Comments))
	}
	if got := st.ByField["alerts"]; got != 20 || s.FieldCount("alerts") != 20 {
		t.Errorf("ByField[alerts] = %d, FieldCount = %d, want 20", got, s.FieldCount("alerts"))
	}
}
