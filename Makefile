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
	@# The PostgreSQL store suite needs a server: a private one, started here (scripts/test-postgres.sh).
	DRGCODER_TEST_POSTGRES_URL="$$(bash scripts/test-postgres.sh start)" $(SWIFT) test --skip-build
