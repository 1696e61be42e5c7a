#!/usr/bin/env bash
# Ingest real, large reference manuals shipped as Debian packages (Debian Reference, Debian FAQ and optionally
# the FreedomBox manual) into the "debian" collection. The documents stay where dpkg put them: this script only
# passes their paths to `npm run ingest`, it never copies their text into the repository.
#
# Usage: scripts/ingest-debian-manuals.sh [--format pdf|html] [--with-freedombox] [--collection NAME] [--dry-run]
#   --format pdf    one PDF per manual (default; the Debian FAQ PDF ships gzipped and is unpacked under data/)
#   --format html   the per-chapter HTML pages instead
#   --with-freedombox  also ingest the FreedomBox manual (package freedombox-doc-en)
#   --collection    target collection (default: debian)
#   --dry-run       print the files and the ingest command without running it
set -euo pipefail

format="pdf"
with_freedombox=0
collection="debian"
dry_run=0

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --format) format="${2:?--format needs pdf or html}"; shift 2 ;;
    --with-freedombox) with_freedombox=1; shift ;;
    --collection) collection="${2:?--collection needs a name}"; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ingest-debian-manuals: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [[ "$format" != "pdf" && "$format" != "html" ]]; then
  echo "ingest-debian-manuals: --format must be pdf or html, got '$format'" >&2
  exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

packages=(debian-reference-en debian-faq)
if [[ $with_freedombox -eq 1 ]]; then packages+=(freedombox-doc-en); fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "==> not installed: ${missing[*]}"
    echo "    install them with: sudo apt-get install ${missing[*]}"
    echo "    continuing with whatever is already installed"
  fi
fi

files=()

# Adds the files matching a glob (already expanded by the caller) that exist and are non-empty.
add_existing() {
  local f
  for f in "$@"; do
    if [[ -s "$f" ]]; then files+=("$f"); fi
  done
}

shopt -s nullglob
if [[ "$format" == "pdf" ]]; then
  add_existing /usr/share/debian-reference/debian-reference.en.pdf
  # The FAQ PDF is only shipped gzipped; unpack it under data/ (git-ignored) so the ingest CLI can read it.
  faq_gz=/usr/share/doc/debian/FAQ/debian-faq.en.pdf.gz
  if [[ -s "$faq_gz" ]]; then
    mkdir -p data/sources/debian
    faq_pdf=data/sources/debian/debian-faq.en.pdf
    if [[ ! -s "$faq_pdf" || "$faq_gz" -nt "$faq_pdf" ]]; then
      echo "==> unpacking $faq_gz to $faq_pdf"
      gzip -dc "$faq_gz" >"$faq_pdf"
    fi
    add_existing "$repo_root/$faq_pdf"
  fi
  if [[ $with_freedombox -eq 1 ]]; then add_existing /usr/share/freedombox/manual/en/freedombox-manual.pdf; fi
else
  add_existing /usr/share/debian-reference/*.en.html
  # index.en.html is only a table of contents: it would add noise, not answers.
  for f in /usr/share/doc/debian/FAQ/*.en.html; do
    [[ "$(basename "$f")" == "index.en.html" ]] || add_existing "$f"
  done
  if [[ $with_freedombox -eq 1 ]]; then
    # freedombox-manual.part.html concatenates all the other pages: skip it to avoid ingesting everything twice.
    for f in /usr/share/freedombox/manual/en/*.part.html; do
      [[ "$(basename "$f")" == "freedombox-manual.part.html" ]] || add_existing "$f"
    done
  fi
fi
shopt -u nullglob

if [[ ${#files[@]} -eq 0 ]]; then
  echo "ingest-debian-manuals: no Debian manuals found (format: $format)." >&2
  echo "  install them first: sudo apt-get install ${packages[*]}" >&2
  exit 1
fi

echo "==> found ${#files[@]} file(s):"
printf '    %s\n' "${files[@]}"
echo "==> npm run ingest -- <${#files[@]} files> --collection $collection"

if [[ $dry_run -eq 1 ]]; then
  echo "==> dry run: not ingesting"
  exit 0
fi

npm run ingest -- "${files[@]}" --collection "$collection"
