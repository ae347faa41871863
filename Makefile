# NPC Studio. `make run` installs what is missing, builds and opens the studio;
# `make test` installs what is missing, starts the servers tests need and runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := build

CACHE   := $(CURDIR)/.cache
BIN     := build/bin/npcstudio
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# Debian 12 has webkit2gtk 4.0 and 4.1; newer distros only 4.1.
WEBKIT  ?= $(shell pkg-config --exists webkit2gtk-4.0 2>/dev/null && echo 4.0 || echo 4.1)
TAGS    := desktop,production$(if $(filter 4.1,$(WEBKIT)),$(comma)webkit2_41)
comma   := ,
LDFLAGS := -s -w -X github.com/npcstudio/npcstudio/app.Version=$(VERSION)
export PATH := $(CACHE)/bin:$(PATH)

.PHONY: deps frontend bindings build run test race services services-stop bench clean

deps:
	@bash .ci/deps.sh

frontend: deps
	cd frontend && npm run build

bindings: deps
	bash .ci/bindings.sh

build: frontend
	go build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .
	@echo "built $(BIN) (webkit2gtk-$(WEBKIT))"

run: build
	./$(BIN)

test: deps
	bash .ci/test.sh

# The Go tests under the race detector: the whole module takes about 4 minutes on 2 cores
# (RACE_PKGS=./backend/lore/... for one area). -short leaves out the tests of huge files and
# memory ceilings, which the plain run covers and which race nothing. .ci/test.sh runs it with the servers and
# keychain of the Go tests; alone, tests that need them skip.
RACE_PKGS ?= ./...
race:
	go test -race -short -count=1 -timeout 30m $(RACE_PKGS)

services: deps
	@SERVICES_PRINT_ENV=1 bash .ci/services.sh start $(or $(SERVICES),all) >/dev/null

services-stop:
	@bash .ci/services.sh stop

bench: build
	bash .ci/bench.sh

clean:
	rm -rf build/bin frontend/dist/assets frontend/dist/index.html
