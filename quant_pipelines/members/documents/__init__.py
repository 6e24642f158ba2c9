"""Pure readers of the congress-legislators files: bytes in, records out."""
