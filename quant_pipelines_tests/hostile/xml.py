"""XML a yearly FD index must never be read from: entity expansion, external entities and DTDs."""

from __future__ import annotations

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<FinancialDisclosure><Member><Last>&lol3;</Last></Member></FinancialDisclosure>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<FinancialDisclosure><Member><Last>&secret;</Last><DocID>1</DocID></Member></FinancialDisclosure>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<FinancialDisclosure/>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE FinancialDisclosure SYSTEM "http://127.0.0.1:9/index.dtd">
<FinancialDisclosure/>"""

# (id, document, what the reader says about it)
CASES: list[tuple[str, bytes, str]] = [
    ("entity-expansion", BILLION_LAUGHS, "XML refused"),
    ("external-entity", EXTERNAL_ENTITY, "XML refused"),
    ("parameter-entity", PARAMETER_ENTITY, "XML refused"),
    ("external-dtd", EXTERNAL_DTD, "XML refused"),
    ("malformed", b"<FinancialDisclosure><Member><Last>Doe</Member>", "malformed XML"),
    ("truncated", b"<FinancialDisclosure><Member><Last>Do", "malformed XML"),
    ("wrong-root", b"<Other/>", "not <FinancialDisclosure>"),
]
