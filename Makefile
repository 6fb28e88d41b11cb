# Convenience targets. The README's two commands do not need make:
#   go run ./cmd/yixin demo      the main job
#   bash scripts/test.sh         every test (as root the first time)

GO ?= go

.PHONY: demo test unit fuzz bench

demo:
	$(GO) run ./cmd/yixin demo

test:
	bash scripts/test.sh

unit:
	$(GO) test ./...

fuzz:
	bash scripts/fuzz-smoke.sh $(or $(FUZZTIME),3)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
