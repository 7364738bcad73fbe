"""``checkIdCard``: DOPA's status of a citizen ID card (CheckCardByLaser).

The arguments are personal data: they are checked here, sent to DOPA and forgotten. Nothing of
them is logged, cached, or repeated in an answer or an error message.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from gateway.access.fields import Restricted
from gateway.access.principal import PARTNER_SCOPE
from gateway.connectors.dopa_idcard import (
    CONNECTOR,
    CardStatus,
    CheckCardRequest,
    DopaIdCardClient,
    be_birth_date,
    pid_is_valid,
)
from gateway.errors import BadUserInput
from gateway.schema.context import Info

__all__ = ["IdCardCheck", "IdCardQuery", "IdCardStatus", "card_request"]

MAX_NAME_LENGTH = 100
IdCardStatus = strawberry.enum(
    CardStatus,
    name="IdCardStatus",
    description="DOPA's verdict: NORMAL (code 0), NOT_NORMAL (code 4: no card with this laser "
    "code for the PID, or the other data do not match), INCOMPLETE (code 5: a field was blank).",
)


@strawberry.type(description="DOPA's answer about an ID card; it repeats none of the data asked.")
class IdCardCheck:
    """The status of one card check."""

    status: CardStatus = strawberry.field(description="DOPA's verdict.")
    code: int = strawberry.field(description="DOPA's own code: 0, 4 or 5.")
    description: str = strawberry.field(description="DOPA's description, in Thai.")
    checked_at: dt.datetime = strawberry.field(description="When DOPA answered.")
    source: str = strawberry.field(description="The connector the answer came from.")


def card_request(
    pid: str, first_name: str, last_name: str, birth_date: str, laser: str
) -> CheckCardRequest:
    """The check to send; BAD_USER_INPUT (naming the argument, never its value) when invalid."""
    pid = pid.strip().replace("-", "").replace(" ", "")
    if not pid_is_valid(pid):
        raise BadUserInput(
            "pid is not a 13-digit ID number with a valid check digit", argument="pid"
        )
    names = {"firstName": first_name.strip(), "lastName": last_name.strip()}
    for argument, name in names.items():
        if not name or len(name) > MAX_NAME_LENGTH:
            raise BadUserInput(
                f"{argument} must be 1 to {MAX_NAME_LENGTH} characters", argument=argument
            )
    try:
        born = be_birth_date(birth_date)
    except ValueError:
        raise BadUserInput(
            "birthDate must be a Gregorian YYYY-MM-DD (00 for an unknown month or day)",
            argument="birthDate",
        ) from None
    laser = laser.strip().replace("-", "").replace(" ", "").upper()
    if not (len(laser) == 12 and laser.isascii() and laser.isalnum()):
        raise BadUserInput(
            "laser must be the 12-character code on the card's back", argument="laser"
        )
    return CheckCardRequest(pid, names["firstName"], names["lastName"], born, laser)


@strawberry.type
class IdCardQuery:
    """Root field checking an ID card with DOPA, merged into Query."""

    @strawberry.field(
        description="Check an ID card with DOPA (CheckCardByLaser). Partner scope: send "
        "it by POST with variables (a GET query string ends up in access logs).",
        directives=[Restricted(scopes=[[PARTNER_SCOPE]])],
    )
    async def check_id_card(
        self,
        info: Info,
        pid: Annotated[str, strawberry.argument(description="The 13-digit citizen ID number.")],
        first_name: Annotated[str, strawberry.argument(description="First name, in Thai.")],
        last_name: Annotated[str, strawberry.argument(description="Last name, in Thai.")],
        birth_date: Annotated[
            str,
            strawberry.argument(
                description="Gregorian YYYY-MM-DD; 00 for an unknown month or day (1980-00-00)."
            ),
        ],
        laser: Annotated[
            str, strawberry.argument(description="The laser code on the back, e.g. JT1-2345678-90.")
        ],
    ) -> IdCardCheck | None:
        request = card_request(pid, first_name, last_name, birth_date, laser)
        client = DopaIdCardClient(info.context.connector(CONNECTOR), info.context.request_id)
        found = await client.check(request)
        return IdCardCheck(
            status=found.value.status,
            code=found.value.code,
            description=found.value.description,
            checked_at=found.as_of,
            source=CONNECTOR,
        )
