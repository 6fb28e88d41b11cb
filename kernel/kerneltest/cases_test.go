package kerneltest_test

import (
	"testing"

	"github.com/yixin-emv/yixin/kernel/kerneltest"
)

// TestCases runs every case of testdata/cases; each is a subtest named
// after its ID.
func TestCases(t *testing.T) {
	kerneltest.Run(t, "../../testdata/cases")
}
