package panther

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckRequired(t *testing.T) {
	type row struct {
		N     int     `json:"n"`
		Name  *string `json:"name"`
		Plain string
	}
	fields, err := requiredFieldsOf[row]()
	require.NoError(t, err)
	assert.Equal(t, []requiredField{{"n", "N"}, {"name", "Name"}, {"Plain", "Plain"}}, fields)

	for _, tc := range []struct {
		row     string
		missing string // "" when the row passes
	}{
		{`{"n": 1, "name": "x", "Plain": ""}`, ""},
		{`{"n": 1, "name": null, "plain": "y"}`, ""}, // null is present; case does not matter
		{`{"N": 1, "NAME": "x", "PLAIN": "y", "extra": 3}`, ""},
		{`{"n": 1}`, `no column "name" (field Name), "Plain" (field Plain)`},
		{`{}`, `no column "n" (field N), "name" (field Name), "Plain" (field Plain)`},
	} {
		err := checkRequired(json.RawMessage(tc.row), fields)
		if tc.missing == "" {
			assert.NoError(t, err, tc.row)
			continue
		}
		assert.ErrorIs(t, err, ErrMissingField, tc.row)
		assert.ErrorContains(t, err, tc.missing, tc.row)
	}
}
