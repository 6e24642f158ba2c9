"""Senate eFD tests: parsers, replica, Chromium resource, assets."""
