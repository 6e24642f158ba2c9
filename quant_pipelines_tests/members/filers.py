"""Every PTR filer in the captured fixtures, as the project's own readers list them: the House
yearly indexes (2012, 2015, 2021, 2026) and the Senate report-data listings."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from quant_pipelines.house.documents.index import ptr_filings, read_index
from quant_pipelines.members.documents.legislators import Legislators, read_legislators
from quant_pipelines.members.match import Filer
from quant_pipelines.senate.documents.listing import parse_report_data
from quant_pipelines.vocabulary.normalize import politician_id
from quant_pipelines.vocabulary.records import Filing

LEGISLATORS = {
    "legislators-current.yaml": "legislators-current.yaml",
    "legislators-historical.yaml": "legislators-historical-2011plus.reconstructed.yaml",
}


def reference_legislators(fixtures_dir: Path) -> list[Legislators]:
    """Both congress-legislators files of the reference fixtures, read."""
    folder = fixtures_dir / "reference" / "congress-legislators"
    return [read_legislators((folder / name).read_bytes()) for name in LEGISLATORS.values()]


def house_filings(fixtures_dir: Path) -> list[Filing]:
    """Every PTR row of every captured House index."""
    filings = []
    for path in sorted((fixtures_dir / "house" / "index").glob("*.xml")):
        year = int(path.name[:4])
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as bundle:
            bundle.writestr(f"{year}FD.xml", path.read_bytes())
        index = read_index(archive.getvalue(), year)
        filings += ptr_filings(index, date(2008, 1, 1), date(2100, 1, 1), lambda y, d: f"https://x/{y}/{d}.pdf")
    return filings


def senate_filings(fixtures_dir: Path) -> list[Filing]:
    """Every PTR row of the captured Senate listings."""
    filings = []
    for path in sorted((fixtures_dir / "senate" / "efd_2026").glob("report_data_response_*.json")):
        filings += parse_report_data(path.read_bytes(), "https://efdsearch.senate.gov").filings
    return filings


def fixture_filers(fixtures_dir: Path) -> list[Filer]:
    """One filer per politician (as the warehouse keys them) and filed date in the fixtures."""
    filers = {}
    for filing in [*house_filings(fixtures_dir), *senate_filings(fixtures_dir)]:
        politician = politician_id(filing.source, filing.first_name, filing.last_name, filing.state)
        filer = Filer(
            politician_id=politician, chamber=filing.source, first_name=filing.first_name,
            last_name=filing.last_name, filed_date=filing.filed_date, suffix=filing.suffix,
            state=filing.state, district=filing.district,
        )
        filers[(politician, filing.filed_date, filing.district)] = filer
    return list(filers.values())
