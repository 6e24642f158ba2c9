"""Pure readers of the SEC's company ticker lists: bytes in, records out."""
