"""A GraphQL client for the Dagster webserver (directly or behind the authenticating proxy).

Built on ``gql``, the client library dagster-graphql itself uses: ``DagsterGraphQLClient``
has no backfill operations and reports failures as multi-line query dumps, while every
failure here becomes one line naming the URL.
"""

from __future__ import annotations

from typing import Any

import requests
from gql import Client, GraphQLRequest
from gql.transport.exceptions import (
    TransportConnectionFailed,
    TransportError,
    TransportProtocolError,
    TransportQueryError,
    TransportServerError,
)
from gql.transport.requests import RequestsHTTPTransport


class WebserverError(RuntimeError):
    """The webserver could not be reached or refused a request; the message is one line."""


class WebserverClient:
    """Sends GraphQL documents to ``<base_url>/graphql``, with a bearer token when one is given."""

    def __init__(self, base_url: str, token: str | None = None, timeout: int = 30) -> None:
        self.url = f"{base_url.rstrip('/')}/graphql"
        headers = {"Authorization": f"Bearer {token}"} if token else None
        transport = RequestsHTTPTransport(url=self.url, headers=headers, timeout=timeout, retries=0)
        self._client = Client(transport=transport)

    def execute(self, document: str, **variables: Any) -> dict[str, Any]:
        """Run one query or mutation and return its ``data``."""
        try:
            return self._client.execute(GraphQLRequest(document, variable_values=variables))
        except TransportConnectionFailed as exc:
            raise WebserverError(f"cannot reach the Dagster webserver at {self.url}: {_reason(exc)}") from None
        except TransportServerError as exc:
            raise WebserverError(self._refusal(exc.code)) from None
        except TransportQueryError as exc:
            raise WebserverError(f"the webserver at {self.url} rejected the request: {_first_error(exc)}") from None
        except TransportProtocolError:
            raise WebserverError(f"{self.url} did not answer with GraphQL: is it a Dagster webserver?") from None
        except TransportError as exc:
            raise WebserverError(f"GraphQL request to {self.url} failed: {exc}") from None

    def _refusal(self, code: int | None) -> str:
        if code == 401:
            return (
                f"the webserver at {self.url} asks for credentials (HTTP 401): "
                "set QUANT_API_TOKEN or pass --token"
            )
        if code == 403:
            return f"the webserver at {self.url} refused the credentials (HTTP 403)"
        return f"the webserver at {self.url} answered HTTP {code}"


def _reason(exc: TransportConnectionFailed) -> str:
    cause = exc.__cause__
    if isinstance(cause, requests.Timeout):
        return "no answer before the timeout"
    if isinstance(cause, requests.ConnectionError):
        return "connection refused or host unknown"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _first_error(exc: TransportQueryError) -> str:
    errors = exc.errors or []
    message = errors[0].get("message") if errors and isinstance(errors[0], dict) else str(exc)
    return " ".join(str(message).split())
