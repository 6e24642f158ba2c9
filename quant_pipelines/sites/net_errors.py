"""Name what went wrong on the network in words a person reads: DNS, refused, timeout, HTTP status.

A site that *refuses* us (HTTP 401/403/429, a bot wall) is different from one that cannot be
reached at all; only the first is reported as a refusal.
"""

from __future__ import annotations

import re

# Chromium's net error codes (net/base/net_error_list.h) as they appear in its messages.
_CHROMIUM = {
    "ERR_NAME_NOT_RESOLVED": "DNS: the host name does not resolve",
    "ERR_NAME_RESOLUTION_FAILED": "DNS: name resolution failed",
    "ERR_CONNECTION_REFUSED": "connection refused",
    "ERR_CONNECTION_RESET": "connection reset",
    "ERR_CONNECTION_CLOSED": "connection closed",
    "ERR_CONNECTION_TIMED_OUT": "timeout connecting",
    "ERR_TIMED_OUT": "timeout",
    "ERR_ADDRESS_UNREACHABLE": "address unreachable",
    "ERR_INTERNET_DISCONNECTED": "no network",
    "ERR_SSL_PROTOCOL_ERROR": "TLS error",
    "ERR_CERT_AUTHORITY_INVALID": "TLS: untrusted certificate",
    "ERR_EMPTY_RESPONSE": "empty response",
}
# What requests/urllib3 say for the same failures.
_PYTHON = (
    (re.compile(r"NameResolutionError|Name or service not known|getaddrinfo failed|nodename nor servname"),
     "DNS: the host name does not resolve"),
    (re.compile(r"Connection refused|ECONNREFUSED"), "connection refused"),
    (re.compile(r"ReadTimeout|ConnectTimeout|timed out", re.I), "timeout"),
    (re.compile(r"Connection reset|ECONNRESET"), "connection reset"),
)
_OUR_WORDS = tuple(dict.fromkeys([*_CHROMIUM.values(), *(words for _, words in _PYTHON)]))
_REFUSAL = re.compile(r"HTTP (401|403|429)\b|bot|wall|Access Denied|Request Rejected", re.I)


def network_problem(reason: str) -> str | None:
    """The kind of network failure ``reason`` describes, or None when it is not one (e.g. a refusal)."""
    for words in _OUR_WORDS:  # already named (a message passed on from a lower layer)
        if reason.startswith(words) or f" {words}:" in reason:
            return words
    for code, words in _CHROMIUM.items():
        if code in reason:
            return words
    if _REFUSAL.search(reason):
        return None
    for pattern, words in _PYTHON:
        if pattern.search(reason):
            return words
    return None
