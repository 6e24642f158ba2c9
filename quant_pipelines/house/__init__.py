"""House Clerk collection steps: read the index and archive PDFs, parse and link amendments."""
