"""The sections after a PTR's transactions table: investment vehicles, IPO, certification.

Only two things there matter to the rows: the vehicles (accounts) with the owner code
that applies to every row held in them, and the digital signature's date.
"""

from __future__ import annotations

import re
from datetime import date

from quant_pipelines.house.documents.labels import heading, label
from quant_pipelines.house.documents.rows import Vehicle, vehicle_key
from quant_pipelines.vocabulary.normalize import collapse

_SIGNED = re.compile(
    r"^Digitally Signed:\s*(?P<name>.*?)\s*,\s*(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})$", re.I
)
# Layouts up to 2017 print "(owner: SP)" in lower case.
_VEHICLE_OWNER = re.compile(r"^(?P<name>.*?)\s*\(Owner:\s*(?P<owner>[A-Za-z]{2})\)$", re.I)


class Trailer:
    """Collects the trailer's lines: ``vehicles`` by lowercased name, ``signed`` date."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.vehicles: dict[str, Vehicle] = {}
        self.signed: date | None = None
        self._last_vehicle: Vehicle | None = None

    def feed(self, text: str) -> None:
        """Take one line of text (a heading, a vehicle, a label under it, the signature...)."""
        text = text.strip()
        if not text:
            return
        if section := heading(text):
            self.section = section
        elif match := _SIGNED.match(text):
            self.signed = date(int(match["year"]), int(match["month"]), int(match["day"]))
        elif self.section == "vehicles":
            self._vehicle(text)

    def _vehicle(self, text: str) -> None:
        found = label(text)
        if found is not None:
            key, value = found
            if key == "location" and self._last_vehicle is not None:
                self._last_vehicle.location = value
            return
        match = _VEHICLE_OWNER.match(text)
        name, owner = (match["name"], match["owner"].upper()) if match else (text, None)
        self._last_vehicle = Vehicle(collapse(name), owner)
        self.vehicles[vehicle_key(name)] = self._last_vehicle
