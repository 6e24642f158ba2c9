"""The replica's yearly indexes: the captured ``{YEAR}FD`` files plus generated filings, zipped."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from quant_pipelines.house.documents.index import FIRST_INDEX_YEAR
from quant_pipelines_tests.replica.house_documents import GeneratedFiling, random_filing

_INDEX_FILES = {
    2012: ("2012FD.xml", "2012FD.txt"),
    2015: ("2015FD.xml", "2015FD.txt"),
    2021: ("2021FD_snapshot-2021-12-09_LF-normalized.xml", None),
    2026: ("2026FD.xml", "2026FD.txt"),
}
# Years whose index the replica serves from a capture; generated filings join those of 2015 onwards.
CAPTURED_YEARS = frozenset(_INDEX_FILES)
_ZIP_TIME = (2026, 7, 6, 8, 5, 0)
_TXT_HEADER = b"Prefix\tLast\tFirst\tSuffix\tFilingType\tStateDst\tYear\tFilingDate\tDocID\r\n"
_EMPTY_XML = (
    '\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<FinancialDisclosure>\r\n</FinancialDisclosure>'.encode()
)


def build_index(
    fixtures_dir: Path, year: int, generated: Mapping[str, GeneratedFiling]
) -> tuple[bytes, dict[str, GeneratedFiling]] | None:
    """The year's FD.zip and the PTRs it lists, or None when the site has no index for the year.

    Like the real site, every year from the first index through the current one has an index:
    a year without a capture or generated filings gets an empty one.
    """
    extra = [filing for filing in generated.values() if filing.filed.year == year]
    if year in _INDEX_FILES:
        xml_name, txt_name = _INDEX_FILES[year]
        index_dir = fixtures_dir / "house" / "index"
        xml = (index_dir / xml_name).read_bytes()
        txt = (index_dir / txt_name).read_bytes() if txt_name else None
    elif extra or FIRST_INDEX_YEAR <= year <= date.today().year:
        xml, txt = _EMPTY_XML, _TXT_HEADER
    else:
        return None
    if extra:
        if b"<DisclosureType>" in xml:
            raise ValueError(f"generated filings cannot join the old-schema {year} index")
        members = "".join(_member_xml(filing) for filing in extra).encode()
        xml = xml.replace(b"</FinancialDisclosure>", members + b"</FinancialDisclosure>")
        if txt is not None:
            txt += "".join(_member_txt(filing) for filing in extra).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in ((f"{year}FD.txt", txt), (f"{year}FD.xml", xml)):
            if data is not None:
                archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue(), _ptr_listing(xml, generated)


def _member_xml(filing: GeneratedFiling) -> str:
    values = _member_values(filing)
    children = "".join(
        f"    <{key}>{value}</{key}>\r\n" if value else f"    <{key} />\r\n" for key, value in values.items()
    )
    return f"  <Member>\r\n{children}  </Member>\r\n"


def _member_txt(filing: GeneratedFiling) -> str:
    return "\t".join(_member_values(filing).values()) + "\r\n"


def _member_values(filing: GeneratedFiling) -> dict[str, str]:
    return {
        "Prefix": filing.prefix,
        "Last": filing.last,
        "First": filing.first,
        "Suffix": "",
        "FilingType": "P",
        "StateDst": filing.state_dst,
        "Year": str(filing.filed.year),
        "FilingDate": f"{filing.filed.month}/{filing.filed.day}/{filing.filed.year}",
        "DocID": filing.doc_id,
    }


def _ptr_listing(xml: bytes, generated: Mapping[str, GeneratedFiling]) -> dict[str, GeneratedFiling]:
    """Specs for the index's PTRs: the generated ones as given, the rest made up from their row."""
    listing = {}
    for member in ElementTree.fromstring(xml).iter("Member"):
        values = {child.tag: (child.text or "").strip() for child in member}
        is_ptr = values.get("DisclosureType", "PTR" if values.get("FilingType") == "P" else "") == "PTR"
        doc_id, filed = values.get("DocID", ""), values.get("FilingDate", "")
        if not is_ptr or not doc_id or not filed:
            continue
        month, day, year = (int(part) for part in filed.split("/"))
        listing[doc_id] = generated.get(doc_id) or random_filing(
            doc_id,
            date(year, month, day),
            values.get("First", ""),
            values.get("Last", ""),
            values.get("StateDst", ""),
            rows=1 + int(doc_id) % 7,
            seed=int(doc_id),
        )
    return listing
