"""Local replica of the Senate eFD site (efdsearch.senate.gov) for tests and the offline demo."""

from quant_pipelines_tests.replica.senate.site import SenateReplica

__all__ = ["SenateReplica"]
