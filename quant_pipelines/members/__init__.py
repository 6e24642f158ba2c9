"""The congress-legislators source: members and their terms, and filers matched to them."""
