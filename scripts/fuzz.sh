#!/usr/bin/env bash
# Fuzzes the spec and instance-file parsers with libFuzzer for SECONDS (default 60).
#   bash scripts/fuzz.sh 30
# Builds Fuzz/ParserFuzzer.swift together with DescentCore's sources (-sanitize=fuzzer,address)
# into .build/fuzz/parsers, seeds a scratch corpus from Fuzz/corpus, and exits non-zero on a finding
# (the crashing input is left in .build/fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build/fuzz
mkdir -p "$out/corpus"
cp Fuzz/corpus/* "$out/corpus/"
# DescentCore imports the header-only C shim _DescentSIMD (its include folder carries a module map) and
# the Swift module _DescentMath (libm, declared once): built first, as a module and an object file.
swiftc -parse-as-library -O -module-name _DescentMath -emit-module -emit-module-path "$out/_DescentMath.swiftmodule" \
    -c Sources/_DescentMath/*.swift -o "$out/_DescentMath.o"
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ParserFuzzer \
    -I Sources/_DescentSIMD/include -I "$out" $(find Sources/DescentCore -name '*.swift' | sort) Fuzz/ParserFuzzer.swift \
    "$out/_DescentMath.o" -o "$out/parsers" 2>&1 | { grep -v "Cannot export local symbol" || true; }
cd "$out"
./parsers -max_total_time="$seconds" -max_len=2048 -print_final_stats=1 corpus 2>&1 | tail -12
