"""Local replicas of the sites the pipelines scrape; each serves real captures on 127.0.0.1."""
