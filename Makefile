# motcua: `make run` and `make test` set up what is missing, build, and go.
SHELL := /bin/bash
LISTEN ?= 127.0.0.1:8080
DB ?= sqlite:var/motcua.db

.PHONY: run test build debug bench bootstrap clean

bootstrap:
	@scripts/bootstrap all

build:
	@scripts/bootstrap run
	cmake --preset release >/dev/null
	cmake --build --preset release
	@scripts/build-web

debug:
	@scripts/bootstrap all
	cmake --preset debug >/dev/null
	cmake --build --preset debug

run: build
	@mkdir -p var
	build/release/motcua serve --listen $(LISTEN) --db $(DB) --data data

test:
	@scripts/test

bench: build
	@scripts/bench

clean:
	rm -rf build
