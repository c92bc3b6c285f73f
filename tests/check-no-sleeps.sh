#!/usr/bin/env bash
# Tests wait for conditions, never for time: no fixed sleep anywhere in tests/ except the one
# pause between two looks at a condition in tests/src/wait.rs (wait::until and friends), which
# every test uses instead. Prints each offending line and exits 1 if there is one.
set -euo pipefail
cd "$(dirname "$0")"
pattern='sleep[[:space:]]*\('
if found=$(grep -rnE --exclude-dir=target "$pattern" . | grep -v '^\./src/wait\.rs:'); then
    echo "A fixed sleep in tests/ (wait for a condition with soundings_tests::wait instead):" >&2
    echo "$found" >&2
    exit 1
fi
echo "tests/: no fixed sleeps outside src/wait.rs"
