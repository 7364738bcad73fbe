"""LandsMaps, the Department of Lands' parcel service, as the sandbox serves it.

Contract:

- [known] ``GET /apiService/JWT/GetJWTAccessToken`` -> ``{"access_token": "<JWT>"}``;
  ``GET /apiService/LandsMaps/GetParcelByParcelNo/{pvcode}/{amcode}/{deedNo}`` with
  ``Authorization: Bearer <token>`` -> ``{"result": [ {parcel} ]}``, ``{"result": []}`` when the
  deed does not exist; fields ``parcelno``, ``surveyno``, ``landno``, ``parcel_type``, ``utm``,
  ``utm1``..``utm3``, ``rai``, ``ngan``, ``wa``, ``landprice``, ``tumbolname``, ``amphurname``,
  ``provname``, ``parcellat``, ``parcellon``; an expired, absent or unknown token gives 401;
  the web firewall may answer an HTML challenge containing ``_Incapsula``.
- [known] ``amcode`` is 2 digits within the province, following DOPA outside Bangkok; Bangkok's
  codes are DOL's own, some not numeric.
- [assumed] the Bangkok table :data:`BANGKOK_DOL_CODES`: the 37 older districts keep their
  DOPA number (``1001`` -> ``01``); the 13 created in 1997-1998 carry a zone letter and a
  sequence: ``ก`` central, ``น`` north, ``ช`` eastern suburbs, ``ต`` Thonburi side (``1038``
  Lat Phrao -> ``ก3``, ``1043`` Khan Na Yao -> ``ช1``, ``1050`` Bang Bon -> ``ต4``). A DOPA-style
  number for one of those 13 (``10/38/...``) finds nothing.
- [assumed] which deeds exist (:func:`parcel_for`): deed numbers 1 .. N without leading zeros,
  N from ``data.rng("landsmaps", district)`` (3,000-90,000), except every multiple of 23
  (cancelled deeds); the rest of the parcel is drawn from ``data.rng("landsmaps", district, n)``.
  ``rai``/``ngan`` are integers, ``wa`` a number with one decimal, ``landprice`` the appraised
  baht per square wa (integer), ``parcellat``/``parcellon`` strings with six decimals,
  ``utm`` = ``utm1 utm2 utm3`` (1:50,000 sheet, quadrant, 1:4,000 sheet).
- [assumed] tokens live :data:`DEFAULT_TTL_SECONDS` seconds and, when ``max_requests`` is set,
  that many parcel requests. A 401 body is ASP.NET's
  ``{"Message": "Authorization has been denied for this request."}``.

Admin (not agency) routes of this app, for tests: ``POST /__admin/landsmaps/expire-tokens``
(every token issued so far stops working), ``PUT /__admin/landsmaps/tokens`` with any of
``{"ttl_seconds", "max_requests", "incapsula"}`` and ``GET`` of the same path.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import Any

from aiohttp import web

from central_codes.crosswalk import BANGKOK_DOL
from sandbox import geo
from sandbox.data import SandboxData
from sandbox.server import Agency

__all__ = [
    "AGENCY",
    "BANGKOK_DOL_CODES",
    "DEFAULT_TTL_SECONDS",
    "TokenPolicy",
    "dol_district_code",
    "dopa_district_for",
    "parcel_for",
]

DEFAULT_TTL_SECONDS = 900
BANGKOK_DOL_CODES: Mapping[str, str] = MappingProxyType(BANGKOK_DOL)  # the registry's table
_FROM_BANGKOK_DOL = {dol: dopa for dopa, dol in BANGKOK_DOL_CODES.items()}
INCAPSULA_PAGE = (
    '<html><head><META NAME="robots" CONTENT="noindex,nofollow"><script '
    'src="/_Incapsula_Resource?SWJIYLWA=5074a744e2e3d891814e9a2dace20bd4,719d34d31c8e3a6e6fffd425f7e032f3">'
    "</script></head><body></body></html>"
)
DENIED = {"Message": "Authorization has been denied for this request."}


def dol_district_code(dopa_district: str) -> str:
    """The LandsMaps ``amcode`` of a 4-digit DOPA district code."""
    if dopa_district.startswith("10"):
        return BANGKOK_DOL_CODES[dopa_district]
    return dopa_district[2:]


def dopa_district_for(pvcode: str, amcode: str) -> str | None:
    """The DOPA district code that a LandsMaps ``pvcode``/``amcode`` pair names, if any."""
    if pvcode == "10":
        return _FROM_BANGKOK_DOL.get(amcode)
    if len(pvcode) == 2 and len(amcode) == 2 and (pvcode + amcode).isdigit():
        return pvcode + amcode
    return None


def _deed_number(deed_no: str) -> int | None:
    if not (deed_no.isascii() and deed_no.isdigit()) or deed_no.startswith("0"):
        return None
    return int(deed_no)


def parcel_for(data: SandboxData, pvcode: str, amcode: str, deed_no: str) -> dict[str, Any] | None:
    """The parcel LandsMaps answers for this deed, or None when no such deed exists."""
    district = dopa_district_for(pvcode, amcode)
    tambons = data.snapshot.children(district) if district else ()
    number = _deed_number(deed_no)
    if district is None or not tambons or number is None or number % 23 == 0:
        return None
    if number > data.rng("landsmaps", district).randint(3_000, 90_000):
        return None
    rng = data.rng("landsmaps", district, str(number))
    tambon = rng.choice(tambons)
    lat, lon = geo.point_for(data, tambon.code)
    lat, lon = lat + rng.uniform(-0.008, 0.008), lon + rng.uniform(-0.008, 0.008)
    city = pvcode == "10"
    sheet = (
        f"{int((lon - 97) * 4) + 47:02d}{int((lat - 5.5) * 4) + 20:02d}",
        rng.choice(["I", "II", "III", "IV"]),
    )
    four_k = f"{rng.randint(1000, 9999)}-{rng.randint(0, 99):02d}"
    return {
        "parcelno": deed_no,
        "surveyno": str(rng.randint(1, 9999)),
        "landno": str(rng.randint(1, 999)),
        "parcel_type": "โฉนดที่ดิน",
        "utm": f"{sheet[0]} {sheet[1]} {four_k}",
        "utm1": sheet[0],
        "utm2": sheet[1],
        "utm3": four_k,
        "rai": rng.randint(0, 2 if city else 40),
        "ngan": rng.randint(0, 3),
        "wa": round(rng.uniform(0, 99.9), 1),
        "landprice": rng.randrange(50_000, 400_000, 500)
        if city
        else rng.randrange(500, 30_000, 50),
        "tumbolname": tambon.name_th,
        "amphurname": data.snapshot.areas[district].name_th,
        "provname": data.snapshot.areas[pvcode].name_th,
        "parcellat": f"{lat:.6f}",
        "parcellon": f"{lon:.6f}",
    }


@dataclass
class TokenPolicy:
    """How long tokens live, and the tokens issued so far (one per app)."""

    ttl_seconds: float = DEFAULT_TTL_SECONDS
    max_requests: int | None = None
    incapsula: bool = False
    issued: dict[str, list[float]] = field(default_factory=dict)  # token -> [expires, uses]

    def issue(self, secret: bytes, now: float) -> str:
        """A new signed JWT (HS256) that :meth:`accept` knows."""
        claims = {"iss": "landsmaps.dol.go.th", "iat": int(now), "exp": int(now + self.ttl_seconds)}
        claims["jti"] = len(self.issued) + 1
        head = _b64({"alg": "HS256", "typ": "JWT"}) + "." + _b64(claims)
        signature = hmac.new(secret, head.encode(), hashlib.sha256).digest()
        token = head + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()
        self.issued[token] = [now + self.ttl_seconds, 0]
        return token

    def accept(self, authorization: str | None, now: float) -> bool:
        """Whether this Authorization header carries a live token; counts the use."""
        token = (authorization or "").removeprefix("Bearer ").strip()
        entry = self.issued.get(token)
        if entry is None or now >= entry[0]:
            return False
        if self.max_requests is not None and entry[1] >= self.max_requests:
            return False
        entry[1] += 1
        return True

    def settings(self) -> dict[str, Any]:
        """The policy without the tokens."""
        found = asdict(self)
        found["live_tokens"] = len(found.pop("issued"))
        return found


def _b64(value: dict[str, Any]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _json(value: Any, status: int = 200) -> web.Response:
    return web.json_response(
        value, status=status, dumps=lambda v: json.dumps(v, ensure_ascii=False)
    )


def _routes(data: SandboxData) -> Sequence[web.RouteDef]:
    policy = TokenPolicy()
    secret = hashlib.sha256(f"landsmaps|{data.seed}".encode()).digest()

    async def token(request: web.Request) -> web.Response:
        if policy.incapsula:
            return web.Response(text=INCAPSULA_PAGE, content_type="text/html")
        return _json({"access_token": policy.issue(secret, time.time())})

    async def parcel(request: web.Request) -> web.Response:
        if policy.incapsula:
            return web.Response(text=INCAPSULA_PAGE, content_type="text/html")
        if not policy.accept(request.headers.get("Authorization"), time.time()):
            return _json(DENIED, status=401)
        m = request.match_info
        found = parcel_for(data, m["pvcode"], m["amcode"], m["deedNo"])
        return _json({"result": [found] if found else []})

    async def expire(request: web.Request) -> web.Response:
        for entry in policy.issued.values():
            entry[0] = 0.0
        return _json(policy.settings())

    async def configure(request: web.Request) -> web.Response:
        changes = await request.json() if request.method == "PUT" else {}
        unknown = set(changes) - {"ttl_seconds", "max_requests", "incapsula"}
        if unknown:
            return web.Response(status=400, text=f"unknown settings: {', '.join(sorted(unknown))}")
        for name, value in changes.items():
            setattr(policy, name, value)
        return _json(policy.settings())

    return [
        web.get("/apiService/JWT/GetJWTAccessToken", token),
        web.get("/apiService/LandsMaps/GetParcelByParcelNo/{pvcode}/{amcode}/{deedNo}", parcel),
        web.post("/__admin/landsmaps/expire-tokens", expire),
        web.put("/__admin/landsmaps/tokens", configure),
        web.get("/__admin/landsmaps/tokens", configure),
    ]


AGENCY = Agency("landsmaps", "Department of Lands: LandsMaps", _routes)
