module github.com/panthersdk/panther-go/bench

go 1.26.0

replace github.com/panthersdk/panther-go => ../

require (
	github.com/google/go-cmp v0.7.0
	github.com/machinebox/graphql v0.2.2
	github.com/panthersdk/panther-go v0.0.0-00010101000000-000000000000
	github.com/shurcooL/graphql v0.0.0-20240915155400-7ee5256398cf
	golang.org/x/perf v0.0.0-20260908200009-22c9c6c9d4da
)

require (
	github.com/Khan/genqlient v0.8.1 // indirect
	github.com/aclements/go-moremath v0.0.0-20210112150236-f10218a38794 // indirect
	github.com/apapsch/go-jsonmerge/v2 v2.0.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/matryer/is v1.4.1 // indirect
	github.com/oapi-codegen/runtime v1.8.0 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	github.com/vektah/gqlparser/v2 v2.5.58 // indirect
)

tool golang.org/x/perf/cmd/benchstat
