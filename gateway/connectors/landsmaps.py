"""LandsMaps (Department of Lands): a land parcel by its deed number.

- [known] ``GET /apiService/JWT/GetJWTAccessToken`` -> ``{"access_token": ...}``;
  ``GET /apiService/LandsMaps/GetParcelByParcelNo/{pvcode}/{amcode}/{deedNo}`` with
  ``Authorization: Bearer <token>`` -> ``{"result": [ {parcel} ]}``; an empty ``result`` means
  no such deed. An expired token is HTTP 401; the web firewall may answer an HTML challenge
  page carrying ``_Incapsula`` (UPSTREAM_BLOCKED).
- [known] ``amcode`` is the Department of Lands' district code: DOPA's number outside Bangkok,
  DOL's own in Bangkok, some not numeric (``ก3``); the registry's ``DOL_DISTRICT`` crosswalk
  maps it to a DOPA district.
- [known] area in rai, ngan and square wa: 1 rai = 4 ngan = 400 square wa = 1,600 m²
  (1 square wa = 4 m²); ``parcellat``/``parcellon`` may be strings.

The token is fetched once and kept in the connector's cache (:data:`TOKEN_TTL_SECONDS`, or
until the JWT's own ``exp`` is near); a 401 fetches a new one and the call is sent once more.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from gateway.connectors.base import ConnectorRuntime
from gateway.connectors.messages import Fetched, UpstreamRequest, UpstreamResponse

__all__ = [
    "CONNECTOR",
    "LandParcel",
    "LandsMapsClient",
    "ParcelArea",
    "Token",
    "map_parcel",
    "map_result",
    "map_token",
    "square_metres",
]

CONNECTOR = "landsmaps"
TOKEN_PATH = "/apiService/JWT/GetJWTAccessToken"
PARCEL_PATH = "/apiService/LandsMaps/GetParcelByParcelNo"
TOKEN_TTL_SECONDS = 600.0
TOKEN_MARGIN_SECONDS = 30.0  # a token this close to its exp is renewed before use
SQUARE_METRES_PER_WA = 4.0


@dataclass(frozen=True, slots=True)
class Token:
    """A bearer token and, when its JWT says, when it expires (epoch seconds)."""

    value: str
    expires_at: float | None

    def __repr__(self) -> str:
        return f"Token(<hidden>, expires_at={self.expires_at})"


@dataclass(frozen=True, slots=True)
class ParcelArea:
    """A parcel's area in Thai units."""

    rai: int
    ngan: int
    square_wa: float

    @property
    def square_metres(self) -> float:
        """The same area in square metres."""
        return square_metres(self.rai, self.ngan, self.square_wa)


@dataclass(frozen=True, slots=True)
class LandParcel:
    """One parcel as LandsMaps describes it."""

    deed_no: str
    survey_no: str | None
    land_no: str | None
    parcel_type: str | None
    utm_sheet: str | None
    area: ParcelArea
    land_price_per_square_wa: float | None
    subdistrict_name: str | None
    district_name: str | None
    province_name: str | None
    latitude: float | None
    longitude: float | None


def square_metres(rai: int, ngan: int, square_wa: float) -> float:
    """1 rai = 4 ngan = 400 square wa; 1 square wa = 4 m²."""
    return round((rai * 400 + ngan * 100 + square_wa) * SQUARE_METRES_PER_WA, 2)


def map_token(payload: Any) -> Token:
    """The token of ``{"access_token": ...}``, its expiry read from the JWT when it has one."""
    value = payload["access_token"]
    if not isinstance(value, str) or not value.strip():
        raise ValueError("access_token is empty")
    return Token(value.strip(), _jwt_expiry(value))


def _jwt_expiry(token: str) -> float | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        return float(claims["exp"])
    except (ValueError, KeyError, TypeError):
        return None  # an opaque token: the cache TTL alone decides


def _text(row: Mapping[str, Any], key: str) -> str | None:
    value = row.get(key)
    text = "" if value is None else str(value).strip()
    return text or None


def _number(row: Mapping[str, Any], key: str) -> float | None:
    text = _text(row, key)
    return None if text is None else float(text.replace(",", ""))


def map_parcel(row: Mapping[str, Any]) -> LandParcel:
    """One parcel of the ``result`` list; numbers may come as strings."""
    area = ParcelArea(int(_number(row, "rai") or 0), int(_number(row, "ngan") or 0),
                      float(_number(row, "wa") or 0.0))  # fmt: skip
    if area.rai < 0 or not 0 <= area.ngan < 4 or not 0 <= area.square_wa < 100:
        raise ValueError("rai, ngan or wa out of range")
    lat, lon = _number(row, "parcellat"), _number(row, "parcellon")
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("parcellat or parcellon out of range")
    deed = _text(row, "parcelno")
    if deed is None:
        raise ValueError("parcelno is empty")
    return LandParcel(
        deed_no=deed,
        survey_no=_text(row, "surveyno"),
        land_no=_text(row, "landno"),
        parcel_type=_text(row, "parcel_type"),
        utm_sheet=_text(row, "utm"),
        area=area,
        land_price_per_square_wa=_number(row, "landprice"),
        subdistrict_name=_text(row, "tumbolname"),
        district_name=_text(row, "amphurname"),
        province_name=_text(row, "provname"),
        latitude=lat,
        longitude=lon,
    )


def map_result(payload: Any) -> LandParcel | None:
    """The parcel of ``{"result": [...]}``; None when ``result`` is empty (no such deed)."""
    rows = payload["result"]
    if not isinstance(rows, list):
        raise TypeError("result is not a list")
    return map_parcel(rows[0]) if rows else None


class LandsMapsClient:
    """Parcels by deed; one instance per request, no I/O at birth.

    The token lives in the runtime's cache, shared by every request of the process.
    """

    def __init__(
        self,
        runtime: ConnectorRuntime,
        request_id: str | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._runtime = runtime
        self._request_id = request_id
        self._clock = clock

    async def parcel(
        self, province_code: str, dol_district_code: str, deed_no: str
    ) -> Fetched[LandParcel | None]:
        """The parcel of a deed (None when LandsMaps has no such deed), cached by deed."""
        path = "/".join(
            [PARCEL_PATH, *(quote(p, safe="") for p in (province_code, dol_district_code, deed_no))]
        )
        token = await self._token()
        request = UpstreamRequest(
            path=path, headers=_bearer(token), request_id=self._request_id, expect="json"
        )
        return await self._runtime.fetch(
            request,
            parse=lambda response: map_result(response.json()),
            cache_key=f"parcel:{province_code}/{dol_district_code}/{deed_no}",
            on_unauthorized=self._renewed,
        )

    async def _token(self, *, renew: bool = False) -> Token:
        request = UpstreamRequest(path=TOKEN_PATH, request_id=self._request_id, expect="json")
        ttl = 0.0 if renew else TOKEN_TTL_SECONDS
        token = (await self._fetch_token(request, ttl)).value
        expiring = token.expires_at is not None and (
            token.expires_at - TOKEN_MARGIN_SECONDS <= self._clock()
        )
        if not renew and expiring:
            token = (await self._fetch_token(request, 0.0)).value
        return token

    async def _fetch_token(self, request: UpstreamRequest, ttl: float) -> Fetched[Token]:
        # ttl 0 treats the held token as stale: a new one is fetched and replaces it in the
        # cache, where the next request finds it; concurrent renewals share one call.
        return await self._runtime.fetch(
            request, parse=self._parse_token, cache_key="token", ttl_seconds=ttl
        )

    @staticmethod
    def _parse_token(response: UpstreamResponse) -> Token:
        return map_token(response.json())

    async def _renewed(self, rejected: UpstreamRequest) -> UpstreamRequest:
        token = await self._token(renew=True)
        headers = {**rejected.headers, **_bearer(token)}
        return UpstreamRequest(
            method=rejected.method,
            path=rejected.path,
            params=rejected.params,
            headers=headers,
            request_id=rejected.request_id,
            expect=rejected.expect,
        )


def _bearer(token: Token) -> dict[str, str]:
    return {"Authorization": f"Bearer {token.value}"}
