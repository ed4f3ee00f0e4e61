# syntax=docker/dockerfile:1
#
# The hpa-controller image: a static-stdlib release binary on debian:bookworm-slim, running as a
# non-root numeric user. Build it from a git checkout (docs/deploy.md):
#
#   docker build -t REGISTRY/hpa-controller:0.1.0 --build-arg GIT_REVISION=$(git rev-parse --short HEAD) .
#
# `.git` is not in the build context (.dockerignore), so the revision that `hpa-controller --version`
# prints comes from the GIT_REVISION build argument (GitRevisionPlugin reads it as
# HPA_CONTROLLER_GIT_REVISION); without it the image says `git unknown`.
# scripts/verify-image-rootfs checks the same binary on the same packages without a container engine.

# ---- build: same Debian release (glibc) as the runtime stage ----
FROM swift:6.3-bookworm AS build
# The CCurl target needs libcurl's headers; the official image normally has them already.
RUN if ! pkg-config --exists libcurl; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcurl4-openssl-dev pkg-config \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /src
# Dependencies first: a change to our sources does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY . .
ARG GIT_REVISION=unknown
# Stage what the runtime image gets under /out: the stripped binary plus any SwiftPM resource
# bundles (`*.resources`), which Bundle.module looks for beside the executable.
RUN HPA_CONTROLLER_GIT_REVISION="$GIT_REVISION" swift build -c release --static-swift-stdlib --product hpa-controller \
    && bin_dir="$(swift build -c release --static-swift-stdlib --show-bin-path)" \
    && mkdir -p /out/usr/local/bin \
    && cp "$bin_dir/hpa-controller" /out/usr/local/bin/hpa-controller \
    && strip /out/usr/local/bin/hpa-controller \
    && for bundle in "$bin_dir"/*.resources; do \
         if [ -d "$bundle" ]; then cp -R "$bundle" /out/usr/local/bin/; fi; \
       done \
    && /out/usr/local/bin/hpa-controller --version

# ---- runtime ----
FROM debian:bookworm-slim
# Exactly what the binary needs at run time besides glibc/libstdc++ (already in the base image).
# scripts/verify-image-rootfs reads this line, so keep it one ARG with the package names.
ARG RUNTIME_PACKAGES="libcurl4 ca-certificates"
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $RUNTIME_PACKAGES \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /
ARG GIT_REVISION=unknown
LABEL org.opencontainers.image.title="hpa-controller" \
      org.opencontainers.image.description="The Kubernetes Horizontal Pod Autoscaler controller, in Swift" \
      org.opencontainers.image.revision="$GIT_REVISION"
# A numeric non-root user (no /etc/passwd entry needed), so `runAsNonRoot` can verify it.
USER 65532:65532
# /metrics, /healthz and /readyz (--metrics-bind-address, default :8080).
EXPOSE 8080
# Exec form: no shell at run time; SIGTERM goes straight to the controller.
ENTRYPOINT ["/usr/local/bin/hpa-controller"]
CMD ["run"]
