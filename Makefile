# hpa-controller: build, install and package. `make help` lists the targets.
#
#   make build                      static-stdlib release binary in .build-static/release
#   make install [PREFIX=/usr/local] [DESTDIR=]
#                                   binary, bash/zsh/fish completions, man page
#   make image [IMAGE=hpa-controller] [TAG=<version>]
#                                   docker build with the git revision as a build argument
#   make verify-image               scripts/verify-image-rootfs (root, Debian mirror; no engine needed)
#
# The man page comes from swift-argument-parser's `generate-manual` command plugin, which builds the
# package and reads the CLI's own description of itself (works offline once dependencies are
# resolved). Completions come from the binary: `hpa-controller --generate-completion-script SHELL`.

PREFIX  ?= /usr/local
DESTDIR ?=
SWIFT   ?= swift
DOCKER  ?= docker
BINDIR   = $(DESTDIR)$(PREFIX)/bin
MANDIR   = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR  = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR   = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR  = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

# Its own scratch directory: after the man page plugin's release build in .build (dynamically
# linked), `swift build -c release --static-swift-stdlib` in the same .build did not relink here
# and `make install` installed a binary that needs the Swift runtime libraries.
BUILD_FLAGS  = -c release --static-swift-stdlib --scratch-path .build-static
BIN_DIR      = $(shell $(SWIFT) build $(BUILD_FLAGS) --show-bin-path)
BINARY       = $(BIN_DIR)/hpa-controller
GENERATED    = .build/generated
MAN_PAGE     = .build/plugins/GenerateManual/outputs/hpa-controller/hpa-controller.1
VERSION      = $(shell sed -n 's/^ *static let version = "\(.*\)"$$/\1/p' Sources/hpa-controller/BuildInfo.swift)
GIT_REVISION = $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
IMAGE       ?= hpa-controller
TAG         ?= $(VERSION)

.PHONY: help build man completions install uninstall image verify-image test

help:
	@sed -n '1,14p' Makefile | sed 's/^# \{0,1\}//'

build:
	$(SWIFT) build $(BUILD_FLAGS) --product hpa-controller

# The plugin builds the whole package in release mode (in .build, dynamically linked) and runs it
# with --experimental-dump-help.
man:
	$(SWIFT) package plugin generate-manual --configuration release
	@test -f $(MAN_PAGE) || { echo "generate-manual did not write $(MAN_PAGE)" >&2; exit 1; }

completions: build
	@mkdir -p $(GENERATED)
	$(BINARY) --generate-completion-script bash > $(GENERATED)/hpa-controller.bash
	$(BINARY) --generate-completion-script zsh  > $(GENERATED)/_hpa-controller
	$(BINARY) --generate-completion-script fish > $(GENERATED)/hpa-controller.fish

install: man completions
	install -d $(BINDIR) $(MANDIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -s -m 0755 $(BINARY) $(BINDIR)/hpa-controller
	@# SwiftPM resource bundles must sit beside the executable (Bundle.module looks there).
	@for bundle in $(BIN_DIR)/*.resources; do \
	  if [ -d "$$bundle" ]; then echo "install $$bundle -> $(BINDIR)/"; rm -rf "$(BINDIR)/$$(basename "$$bundle")"; cp -R "$$bundle" $(BINDIR)/; fi; \
	done
	install -m 0644 $(MAN_PAGE) $(MANDIR)/hpa-controller.1
	install -m 0644 $(GENERATED)/hpa-controller.bash $(BASHDIR)/hpa-controller
	install -m 0644 $(GENERATED)/_hpa-controller $(ZSHDIR)/_hpa-controller
	install -m 0644 $(GENERATED)/hpa-controller.fish $(FISHDIR)/hpa-controller.fish

uninstall:
	rm -f $(BINDIR)/hpa-controller $(MANDIR)/hpa-controller.1 $(BASHDIR)/hpa-controller \
	  $(ZSHDIR)/_hpa-controller $(FISHDIR)/hpa-controller.fish
	rm -rf $(BINDIR)/hpa-controller_*.resources

# Needs a container engine (there is none on the team's machines; see scripts/verify-image-rootfs).
image:
	$(DOCKER) build -t $(IMAGE):$(TAG) --build-arg GIT_REVISION=$(GIT_REVISION) .

verify-image:
	scripts/verify-image-rootfs

test:
	$(SWIFT) test
