SHELL := /bin/bash
# harness: AI Hub archives -> training sets -> trustworthy evaluation.
#   make          build and run the demo on the bundled fixtures
#   make setup    install system packages, build llama.cpp into .deps/, fetch the test model into models/
#   make test     everything above, then the whole test suite
#   make bench    benchmarks, results under bench/results/
#   make fuzz     libFuzzer on the parsers, FUZZ_SECONDS (60) per target; not part of make test
SWIFT  ?= swift
DB     ?= harness.sqlite
SPEC   ?= specs/clickbait.yaml
MODEL  ?= models/SmolLM2-135M-Instruct.Q4_1.gguf

.PHONY: all setup build demo test bench fuzz clean

all: demo

setup:
	@bash .ci/setup-deps all

build: setup
	$(SWIFT) build -c release --product prep
	$(SWIFT) build -c release --product eval
	@mkdir -p bin
	@cp .build/release/prep .build/release/eval bin/
	@echo "built bin/prep and bin/eval"

demo: build
	bin/prep check $(SPEC)
	bin/prep run $(SPEC) --db $(DB)
	bin/prep report latest --db $(DB)
	bin/eval score $(SPEC) --model $(MODEL) --split valid --train-log fixtures/trainer_state.json --db $(DB)
	bin/eval report latest --db $(DB)
	bin/eval report latest --format md --db $(DB)
	bin/eval score $(SPEC) --model $(MODEL) --split valid --lora fixtures/lora/smollm2-a.gguf --db $(DB)
	bin/prep run specs/dialogue-inference.yaml --db $(DB)
	bin/prep run specs/news-pages.yaml --db $(DB)
	bin/eval score specs/news-pages.yaml --model $(MODEL) --db $(DB)
	bin/eval report latest --format md --db $(DB)
	bin/eval runs --db $(DB)

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing 2>&1 | tee .build/test.log | grep -vE "^Test (Case|Suite) .*(started|passed)" ; exit $${PIPESTATUS[0]}

bench: build
	@bash bench/run.sh

fuzz: setup
	@bash .ci/fuzz

clean:
	rm -rf .build bin out reports/*.html $(DB) $(DB)-wal $(DB)-shm
