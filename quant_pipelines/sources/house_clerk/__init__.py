"""House Clerk parsers: the yearly FD index and the PTR PDFs (pure: bytes in, records out)."""
