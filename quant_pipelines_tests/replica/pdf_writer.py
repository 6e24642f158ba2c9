"""A minimal PDF writer: standard fonts, positioned text, one gray image, Flate streams.

Written for the replica's generated PTRs. It exists (instead of a PDF library) because
the Clerk's 2025/2026 template labels are small caps whose ToUnicode entries are 0,
and only a hand-written font dictionary reproduces that text layer exactly.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

PAGE_WIDTH, PAGE_HEIGHT = 612, 792

# A simple font whose lowercase letters map to U+0000 in the text layer, like the
# small-caps labels of the Clerk's template ("Filing Status" -> "F\0\0\0\0\0 S\0\0\0\0\0").
_SMALL_CAPS_CMAP = (
    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
    "1 begincodespacerange <00> <FF> endcodespacerange\n"
    "2 beginbfrange <20> <40> <0020> <41> <5A> <0041> endbfrange\n"
    "26 beginbfchar\n"
    + "\n".join(f"<{code:02X}> <0000>" for code in range(0x61, 0x7B))
    + "\nendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end\n"
)


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


@dataclass
class Page:
    """Content of one page: text pieces drawn in the order they were added."""

    operations: list[bytes] = field(default_factory=list)
    image: tuple[int, int, bytes] | None = None

    def text(self, x: float, y: float, *pieces: tuple[str, float, str]) -> None:
        """Draw (font, size, text) pieces one after another from (x, y); fonts: F1, F1B, SC."""
        ops = [f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm".encode()]
        for font, size, text in pieces:
            ops.append(f"/{font} {size:g} Tf (".encode() + _escape(text) + b") Tj")
        ops.append(b"ET")
        self.operations.append(b" ".join(ops))

    def gray_image(self, width: int, height: int, pixels: bytes) -> None:
        """Cover the page with one 8-bit gray image (a scan has nothing else)."""
        self.image = (width, height, pixels)


def render(pages: list[Page], *, title: str = "", password_protected: bool = False) -> bytes:
    """The PDF file for ``pages``; ``password_protected`` adds a Standard security handler
    whose user password is unknown, so readers refuse to open it (as with a locked PDF)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(header: str, data: bytes) -> int:
        packed = zlib.compress(data, 6)
        return add(
            f"<< {header} /Filter /FlateDecode /Length {len(packed)} >>\nstream\n".encode()
            + packed
            + b"\nendstream"
        )

    cmap = stream("", _SMALL_CAPS_CMAP.encode())
    fonts = {
        "F1": add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
        "F1B": add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"),
        "SC": add(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding "
            f"/ToUnicode {cmap} 0 R >>".encode()
        ),
    }
    font_dict = " ".join(f"/{name} {number} 0 R" for name, number in fonts.items())
    pages_number = add(b"")  # the page tree, written once its kids are known
    page_numbers = []
    for page in pages:
        xobjects, content = "", b"\n".join(page.operations)
        if page.image:
            width, height, pixels = page.image
            image = stream(
                f"/Type /XObject /Subtype /Image /Width {width} /Height {height} "
                "/ColorSpace /DeviceGray /BitsPerComponent 8",
                pixels,
            )
            xobjects = f"/XObject << /Im1 {image} 0 R >>"
            content = f"q {PAGE_WIDTH} 0 0 {PAGE_HEIGHT} 0 0 cm /Im1 Do Q\n".encode() + content
        contents = stream("", content)
        page_numbers.append(
            add(
                f"<< /Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                f"/Resources << /Font << {font_dict} >> {xobjects} >> /Contents {contents} 0 R >>".encode()
            )
        )
    kids = " ".join(f"{number} 0 R" for number in page_numbers)
    objects[pages_number - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()
    catalog = add(f"<< /Type /Catalog /Pages {pages_number} 0 R >>".encode())
    info = add(b"<< /Producer (quant_pipelines replica) /Title (" + _escape(title) + b") >>")
    lock = add(_LOCK) if password_protected else None
    return _assemble(objects, catalog, info, lock)


# RC4-40 Standard handler with owner/user hashes of a password nobody knows.
_LOCK = (
    b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -3904 /O <" + b"7a" * 32 + b"> /U <" + b"c3" * 32 + b"> >>"
)


def _assemble(objects: list[bytes], catalog: int, info: int, lock: int | None = None) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    encrypt = f" /Encrypt {lock} 0 R /ID [<{'5d' * 16}> <{'5d' * 16}>]" if lock else ""
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R{encrypt} >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
