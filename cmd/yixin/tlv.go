package main

func runTLV(e *env) int {
	fail(e, "tlv: not yet written")
	return exitFailure
}
