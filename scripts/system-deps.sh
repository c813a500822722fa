#!/usr/bin/env bash
# Debian packages the tests need (sourced by test.sh and run.sh): xmllint checks every generated
# CyberTipline XML against NCMEC's XSD; chromium runs the console's browser tests (playwright-core
# drives Debian's build at /usr/bin/chromium, so no browser is downloaded from a third party);
# openssl makes the self-signed certificates of the HTTPS tests (@triage/testkit selfSignedCertificate).
# Installed only when missing; needs root (CI runs as root).
install_debian_packages() {
  local missing=()
  command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})" >&2
    return 1
  fi
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
}
install_debian_packages
