"""Reading scanned forms offline: the OCR engine, the ruled grid, cells and row checks (pure)."""
