#!/usr/bin/env bash
# Installs Anki's Python library, pinned in requirements.txt, into a virtual environment at
# target/anki-venv, for the check against the real Anki (tests/cli/anki_real.rs). A venv
# already installed from the same requirements is kept, so later runs take no time.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv="${CARGO_TARGET_DIR:-target}/anki-venv"
requirements=tests/anki/requirements.txt
stamp="$venv/installed-requirements.txt"

if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$stamp"; then
    echo "anki venv: up to date ($venv)"
    exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --require-virtualenv -r "$requirements"
"$venv/bin/python" -c "import anki.collection"
cp "$requirements" "$stamp"
echo "anki venv: installed $(grep '^anki==' "$requirements") into $venv"
