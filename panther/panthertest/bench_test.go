package panthertest_test

import (
	"testing"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

func BenchmarkNewServer(b *testing.B) {
	for b.Loop() {
		panthertest.NewServer().Close()
	}
}
