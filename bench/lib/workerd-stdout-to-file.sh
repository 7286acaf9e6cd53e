#!/bin/sh
# workerd with its stdout appended to a file (bench/lib/workerd-serve.mjs): the Worker's console lines land in the log
# file as workerd writes them, with no reader woken per line. Miniflare starts this in place of workerd
# (MINIFLARE_WORKERD_PATH); stderr and the control pipe stay Miniflare's.
exec "$BENCH_WORKERD_BINARY" "$@" >> "$BENCH_WORKERD_STDOUT"
