"""Senate eFD collection steps: fetch and archive, parse and link amendments."""
