"""Issuer resolution: tickers and SEC CIKs for trades filed without a usable ticker."""
