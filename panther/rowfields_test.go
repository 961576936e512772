package panther_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// cloudTrailCall has only columns that every seeded CloudTrail row has.
type cloudTrailCall struct {
	Event  string `json:"eventName"`
	IP     string `json:"sourceIPAddress"`
	Region string `json:"AWSREGION"` // matched ignoring case, as encoding/json does
}

func TestWithRequiredFields(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithQueryPolls(0), panthertest.WithResultRows(12))
	client := newClient(t, srv)
	const sql = "SELECT * FROM panther_logs.aws_cloudtrail"

	t.Run("every field present", func(t *testing.T) {
		rows, err := panther.RunQueryAs[cloudTrailCall](t.Context(), client, sql, panther.WithRequiredFields(), noPollWait)
		require.NoError(t, err)
		n := 0
		for c, err := range rows.All() {
			require.NoError(t, err)
			assert.NotEmpty(t, c.Event)
			assert.NotEmpty(t, c.Region)
			n++
		}
		assert.Equal(t, 12, n)
	})

	type withMissing struct {
		cloudTrailCall                 // embedded: its fields are required too
		User           string          `json:"userName"` // no such column
		Note           string          `json:"note,omitempty"`
		Ignored        string          `json:"-"`
		Other          *cloudTrailCall `json:"other"` // no such column either
	}

	t.Run("a field missing", func(t *testing.T) {
		rows, err := panther.RunQueryAs[*withMissing](t.Context(), client, sql, panther.WithRequiredFields(), noPollWait)
		require.NoError(t, err)
		n := 0
		for row, err := range rows.All() {
			var re *panther.RowError
			require.ErrorAs(t, err, &re)
			assert.ErrorIs(t, err, panther.ErrMissingField)
			assert.Equal(t, n, re.Row)
			assert.Contains(t, err.Error(), `no column "userName" (field User), "other" (field Other)`)
			require.NotNil(t, row)
			assert.NotEmpty(t, row.Event, "the row is still decoded as far as it goes")
			n++
		}
		assert.Equal(t, 12, n, "every row reported; the iteration goes on")
	})

	t.Run("without the option, missing fields stay zero", func(t *testing.T) {
		rows, err := panther.RunQueryAs[withMissing](t.Context(), client, sql, noPollWait)
		require.NoError(t, err)
		for row, err := range rows.All() {
			require.NoError(t, err)
			assert.Empty(t, row.User)
		}
	})

	t.Run("QueryRows", func(t *testing.T) {
		rows, err := panther.RunQuery(t.Context(), client, sql, noPollWait)
		require.NoError(t, err)
		again, err := panther.QueryRows[withMissing](t.Context(), client, rows.QueryID(), panther.WithRequiredFields(), noPollWait)
		require.NoError(t, err)
		for _, err := range again.All() {
			require.ErrorIs(t, err, panther.ErrMissingField)
			break
		}
	})

	t.Run("a row type without fields to require", func(t *testing.T) {
		before := srv.RequestCount()
		_, err := panther.RunQuery(t.Context(), client, sql, panther.WithRequiredFields())
		require.ErrorIs(t, err, panther.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "map[string]interface {}")
		_, err = panther.QueryRows[[]byte](t.Context(), client, "q1", panther.WithRequiredFields())
		require.ErrorIs(t, err, panther.ErrInvalidArgument)
		assert.Equal(t, before, srv.RequestCount(), "requests sent")
	})
}
