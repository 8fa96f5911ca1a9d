#!/usr/bin/env bash
# Replaced by scripts/paper-check.sh (the example papers and every table, one- and two-column, strict on
# overfull boxes and unknown symbols); kept so old commands still work.
exec bash "$(dirname "$0")/paper-check.sh" "$@"
