package kerneltest_test

import (
	"context"
	"fmt"

	"github.com/yixin-emv/yixin/kernel/kerneltest"
)

// A case is data: a card, a terminal, a transaction and what must come
// out. The runner personalises the card from its seed, runs the kernel
// against it with a fixed clock and random source, and lists every
// expectation that did not hold.
func Example() {
	cases, err := kerneltest.ParseCases([]byte(`{
	  "id": "example.cvm.signature",
	  "title": "Signature is the only CVM: result unknown, signature line",
	  "requirement": "EMV 4.4 Book 4 §6.3.4.4",
	  "area": "cvm",
	  "card": {"profile": "dual-cn", "overrides": {"applications": {
	    "international": null,
	    "domestic": {"cvm_list": "00000000 00000000 1E00"}}}},
	  "terminal": {"country": "CN", "currency": "CNY"},
	  "transaction": {"amount": 2500},
	  "expect": {"result": "online-approved", "cvm_results": "1E0000", "signature": true,
	             "cid": ["ARQC", "TC"], "tvr_set": ["sda-failed"]}
	}`), "example.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	results := (&kerneltest.Runner{}).Run(context.Background(), cases)
	for _, r := range results {
		fmt.Println(r.Case.ID, r.Passed)
		for _, d := range r.Differences {
			fmt.Println(" ", d)
		}
	}
	// Output:
	// example.cvm.signature false
	//   tvr_set: expected sda-failed set, got sda-failed clear
}
