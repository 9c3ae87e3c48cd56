# The two commands of the README's quick start, and the helpers behind them.
SWIFT ?= swift

.PHONY: setup build demo test

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product drgcoder

demo: build
	./.build/release/drgcoder demo

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
