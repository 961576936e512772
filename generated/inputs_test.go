package generated_test

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/google/go-cmp/cmp"
	gqlast "github.com/vektah/gqlparser/v2/ast"

	"github.com/panthersdk/panther-go/generated"
)

func ptr[T any](v T) *T { return &v }

// recorder is a graphql.Client that keeps the JSON of the variables each
// generated function sends, and answers with canned data.
type recorder struct {
	vars []byte
	data string // JSON of the "data" member to answer with
}

func (r *recorder) MakeRequest(_ context.Context, req *graphql.Request, resp *graphql.Response) error {
	b, err := json.Marshal(req.Variables)
	if err != nil {
		return err
	}
	r.vars = b
	if r.data == "" {
		return nil
	}
	return json.Unmarshal([]byte(r.data), resp.Data)
}

// sentInput returns the "input" variable the last call sent, as a generic
// JSON object, so tests compare what goes over the wire.
func (r *recorder) sentInput(t *testing.T) map[string]any {
	t.Helper()
	var v struct {
		Input map[string]any `json:"input"`
	}
	if err := json.Unmarshal(r.vars, &v); err != nil {
		t.Fatalf("variables are not JSON: %v (%s)", err, r.vars)
	}
	return v.Input
}

// TestPartialInputsSendOnlyWhatIsSet is the promise that an update never
// wipes data: optional fields the caller leaves unset are absent from the
// request, not null, "", 0 or false.
func TestPartialInputsSendOnlyWhatIsSet(t *testing.T) {
	ctx := context.Background()
	since := time.Date(2026, 11, 26, 8, 30, 0, 123456789, time.FixedZone("CET", 3600))
	tests := []struct {
		name string
		call func(graphql.Client) error
		want map[string]any
	}{
		{
			name: "updateUser with only givenName",
			call: func(c graphql.Client) error {
				_, err := generated.UpdateUser(ctx, c, generated.UpdateUserInput{Id: "u-1", GivenName: ptr("Ada")})
				return err
			},
			want: map[string]any{"id": "u-1", "givenName": "Ada"},
		},
		{
			name: "updateUser can set an empty string on purpose",
			call: func(c graphql.Client) error {
				_, err := generated.UpdateUser(ctx, c, generated.UpdateUserInput{Id: "u-1", FamilyName: ptr("")})
				return err
			},
			want: map[string]any{"id": "u-1", "familyName": ""},
		},
		{
			name: "updateRole renaming only",
			call: func(c graphql.Client) error {
				_, err := generated.UpdateRole(ctx, c, generated.UpdateRoleInput{Id: "r-1", Name: ptr("Responders")})
				return err
			},
			want: map[string]any{"id": "r-1", "name": "Responders"},
		},
		{
			name: "updateS3Source without stream options",
			call: func(c graphql.Client) error {
				_, err := generated.UpdateS3Source(ctx, c, generated.UpdateS3SourceInput{
					Id: "s-1", KmsKey: "", Label: "cloudtrail", LogProcessingRole: "arn:aws:iam::123456789012:role/p",
					LogStreamType: generated.LogStreamTypeJson, ManagedBucketNotifications: false,
					S3PrefixLogTypes: []generated.S3PrefixLogTypesInput{{Prefix: "", LogTypes: []string{"AWS.CloudTrail"}, ExcludedPrefixes: []string{}}},
				})
				return err
			},
			// Required fields are always sent, even when they hold zero values.
			want: map[string]any{
				"id": "s-1", "kmsKey": "", "label": "cloudtrail", "logProcessingRole": "arn:aws:iam::123456789012:role/p",
				"logStreamType": "JSON", "managedBucketNotifications": false,
				"s3PrefixLogTypes": []any{map[string]any{"prefix": "", "logTypes": []any{"AWS.CloudTrail"}, "excludedPrefixes": []any{}}},
			},
		},
		{
			name: "updateCloudAccount keeps ignore lists",
			call: func(c graphql.Client) error {
				_, err := generated.UpdateCloudAccount(ctx, c, generated.UpdateCloudAccountInput{
					Id: "c-1", Label: "prod", AwsScanConfig: generated.AWSScanConfigInput{AuditRole: "arn:aws:iam::123456789012:role/audit"},
				})
				return err
			},
			want: map[string]any{"id": "c-1", "label": "prod", "awsScanConfig": map[string]any{"auditRole": "arn:aws:iam::123456789012:role/audit"}},
		},
		{
			name: "alerts with a time window and two filters",
			call: func(c graphql.Client) error {
				_, err := generated.ListAlertsPage(ctx, c, generated.AlertsInput{
					CreatedAtAfter: &since,
					Severities:     []generated.Severity{generated.SeverityHigh, generated.SeverityCritical},
					PageSize:       ptr(50),
				})
				return err
			},
			// DateTime goes out as Panther documents it: UTC, milliseconds, Z.
			want: map[string]any{"createdAtAfter": "2026-11-26T07:30:00.123Z", "severities": []any{"HIGH", "CRITICAL"}, "pageSize": float64(50)},
		},
		{
			name: "alerts with nothing set",
			call: func(c graphql.Client) error {
				_, err := generated.ListAlertsPage(ctx, c, generated.AlertsInput{})
				return err
			},
			want: map[string]any{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{}
			if err := tt.call(r); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, r.sentInput(t)); diff != "" {
				t.Errorf("sent input (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOptionalNestedArgumentsAreOmitted checks the variables beside input:
// a nil events page is not sent as null, so Panther applies its default.
func TestOptionalNestedArgumentsAreOmitted(t *testing.T) {
	r := &recorder{}
	if _, err := generated.GetAlert(context.Background(), r, "a-1", nil); err != nil {
		t.Fatal(err)
	}
	if got, want := string(r.vars), `{"id":"a-1"}`; got != want {
		t.Errorf("variables = %s, want %s", got, want)
	}
	if _, err := generated.GetAlert(context.Background(), r, "a-1", &generated.AlertEventsInput{Cursor: ptr("c2")}); err != nil {
		t.Fatal(err)
	}
	if got, want := string(r.vars), `{"id":"a-1","eventsInput":{"cursor":"c2"}}`; got != want {
		t.Errorf("variables = %s, want %s", got, want)
	}
}

// TestEveryOptionalInputFieldIsOmittedWhenUnset reads the generated source
// and checks each input struct against the schema: nullable fields carry
// omitempty, non-null ones never do. It catches a schema bump that adds an
// optional input field without the matching directive in queries/.
func TestEveryOptionalInputFieldIsOmittedWhenUnset(t *testing.T) {
	s, _ := loadOperations(t)
	tags := structTags(t, "genqlient.go")
	checked := 0
	for _, def := range s.Types {
		if def.Kind != gqlast.InputObject {
			continue
		}
		fields, ok := tags[def.Name]
		if !ok {
			continue // not used by any operation, so not generated
		}
		// Fields with custom marshalers are tagged `json:"-"` on the public
		// struct; their real tag is on the generated premarshal struct.
		pre := tags["__premarshal"+def.Name]
		for _, f := range def.Fields {
			tag, ok := fields[f.Name]
			if tag == "-" || !ok {
				tag, ok = pre[f.Name]
			}
			if !ok {
				t.Errorf("%s.%s: no Go field with that JSON name", def.Name, f.Name)
				continue
			}
			checked++
			omitted := strings.Contains(tag, ",omitempty")
			switch {
			case !f.Type.NonNull && !omitted:
				t.Errorf("%s.%s is optional but is sent as null when unset; add "+
					`# @genqlient(for: "%s.%s", omitempty: true) to every operation using %s`,
					def.Name, f.Name, def.Name, f.Name, def.Name)
			case f.Type.NonNull && omitted:
				t.Errorf("%s.%s is required but would be dropped when zero; remove its omitempty directive", def.Name, f.Name)
			}
		}
	}
	if checked < 100 {
		t.Fatalf("checked only %d input fields; is generated/genqlient.go complete?", checked)
	}
}

// structTags maps each struct type in a generated Go file to its fields'
// JSON names and tag options.
func structTags(t *testing.T, file string) map[string]map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return true
		}
		fields := map[string]string{}
		for _, fld := range st.Fields.List {
			if fld.Tag == nil {
				continue
			}
			raw, _ := strconv.Unquote(fld.Tag.Value)
			tag := reflect.StructTag(raw).Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if name == "-" && len(fld.Names) == 1 {
				// Recover the GraphQL name from the Go name for
				// custom-marshalled fields.
				gname := fld.Names[0].Name
				name = strings.ToLower(gname[:1]) + gname[1:]
				fields[name] = "-"
				continue
			}
			if opts != "" {
				fields[name] = tag[len(name):]
			} else {
				fields[name] = ""
			}
		}
		out[ts.Name.Name] = fields
		return true
	})
	return out
}
