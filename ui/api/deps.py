"""FastAPI dependencies: the app's shared services, and the admin key check.

Routes declare what they use (`store: StoreDep`, `dependencies=[AdminDep]`); the objects are the
ones `create_app` put on `app.state.services`.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from assistant.config import Settings
from assistant.pipeline import Assistant
from assistant.practices.catalog import Catalog
from assistant.store.chroma import ChromaStore
from ui.api.errors import AdminDisabled, Unauthorized
from ui.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_settings(services: Annotated[Services, Depends(get_services)]) -> Settings:
    return services.settings


def get_store(services: Annotated[Services, Depends(get_services)]) -> ChromaStore:
    return services.store


def get_catalog(services: Annotated[Services, Depends(get_services)]) -> Catalog:
    return services.catalog


def get_assistant(services: Annotated[Services, Depends(get_services)]) -> Assistant:
    """The Assistant of the configured answer backend."""
    return services.assistant


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[ChromaStore, Depends(get_store)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
AssistantDep = Annotated[Assistant, Depends(get_assistant)]

_bearer = HTTPBearer(auto_error=False, description="the server's API key (PRAXIS_SERVER__API_KEY)")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the server's API key")


def require_admin(
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key_header)],
) -> None:
    """Pass with the configured API key as `Authorization: Bearer KEY` or `X-API-Key: KEY`.

    Raises AdminDisabled (403) when no key is configured, Unauthorized (401) for a missing or
    wrong key; keys are compared in constant time.
    """
    configured = settings.server.api_key
    secret = configured.get_secret_value() if configured else ""
    if not secret:
        raise AdminDisabled(
            "admin routes are disabled because no API key is configured; set "
            "PRAXIS_SERVER__API_KEY to a long random secret, restart `praxis serve`, and send it "
            "as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
        )
    given = api_key or (bearer.credentials if bearer else "")
    if not given or not hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8")):
        raise Unauthorized(
            "missing or wrong API key; send the key from PRAXIS_SERVER__API_KEY as "
            "'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
        )


AdminDep = Depends(require_admin)
