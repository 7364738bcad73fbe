"""What a complaint must be before we accept it, and which Damrongdhama centre it goes to.

Everything here is pure: :func:`validate` turns raw input into a :class:`ComplaintDraft` or
raises BAD_USER_INPUT naming the argument (never repeating personal data), :func:`centre_for`
routes by area code to the province's centre.
"""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass

from central_codes.codes import InvalidAreaCode
from central_codes.records import Status
from central_codes.snapshot import Snapshot
from gateway import idempotency
from gateway.errors import BadAreaCode, BadUserInput

__all__ = [
    "Category",
    "Centre",
    "ComplaintDraft",
    "Contact",
    "centre_for",
    "validate",
]

BANGKOK = "10"
LIMITS = {"subject": 200, "detail": 5000, "idempotencyKey": 100, "contact.name": 200}
_PHONE = re.compile(r"(?:\+66|0)[0-9]{8,9}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


class Category(enum.Enum):
    """The complaint categories of the 1567 centres; each value is the centre's Thai name."""

    GENERAL_GRIEVANCE = "ความเดือดร้อนทั่วไป"
    LAND = "ปัญหาที่ดิน"
    INFORMAL_DEBT = "หนี้นอกระบบ"
    DRUGS = "ยาเสพติด"
    OFFICIAL_MISCONDUCT = "การกระทำผิดของเจ้าหน้าที่รัฐ"
    ASSISTANCE = "ขอความช่วยเหลือ"


@dataclass(frozen=True, slots=True)
class Contact:
    """How the centre reaches the complainant: a name and a phone number or an e-mail."""

    name: str
    phone: str | None
    email: str | None

    def __repr__(self) -> str:
        return "Contact(<personal data hidden>)"


@dataclass(frozen=True, slots=True)
class Centre:
    """A Damrongdhama centre: one per province, and Bangkok's."""

    province_code: str
    name: str


@dataclass(frozen=True, slots=True)
class ComplaintDraft:
    """A valid complaint, not yet stored."""

    category: Category
    subject: str
    detail: str
    area_code: str
    contact: Contact
    idempotency_key: str

    def fingerprint(self) -> str:
        """A digest of the content, to tell a repeat from a reused key."""
        return idempotency.fingerprint(asdict(self) | {"category": self.category.name})


def _text(value: str, argument: str, *, multiline: bool = False) -> str:
    text = value.strip() if multiline else " ".join(value.split())
    limit = LIMITS[argument]
    if not text or len(text) > limit:
        raise BadUserInput(f"{argument} must be 1 to {limit} characters", argument=argument)
    return text


def _contact(name: str, phone: str | None, email: str | None) -> Contact:
    who = _text(name, "contact.name")
    number = None if phone is None else re.sub(r"[\s-]", "", phone)
    address = None if email is None else email.strip()
    if not number and not address:
        raise BadUserInput("contact needs a phone number or an e-mail", argument="contact")
    if number and not _PHONE.fullmatch(number):
        raise BadUserInput("contact.phone is not a Thai phone number", argument="contact.phone")
    if address and (len(address) > 254 or not _EMAIL.fullmatch(address)):
        raise BadUserInput("contact.email is not an e-mail address", argument="contact.email")
    return Contact(who, number or None, address or None)


def _area(snapshot: Snapshot, code: str) -> str:
    try:
        area = snapshot.get(code.strip())
    except InvalidAreaCode:
        raise BadAreaCode("areaCode must be 2, 4 or 6 digits", argumentValue=code[:20]) from None
    if area is None or area.status is not Status.ACTIVE:
        raise BadUserInput("areaCode is not an active area of the registry", argument="areaCode")
    return area.code


def validate(
    snapshot: Snapshot,
    *,
    category: Category,
    subject: str,
    detail: str,
    area_code: str,
    contact: Contact,
    idempotency_key: str,
) -> ComplaintDraft:
    """The complaint to store, or BAD_USER_INPUT / BAD_AREA_CODE naming what is wrong."""
    key = idempotency.idempotency_key(idempotency_key)
    return ComplaintDraft(
        category=category,
        subject=_text(subject, "subject"),
        detail=_text(detail, "detail", multiline=True),
        area_code=_area(snapshot, area_code),
        contact=_contact(contact.name, contact.phone, contact.email),
        idempotency_key=key,
    )


def centre_for(snapshot: Snapshot, area_code: str) -> Centre:
    """The Damrongdhama centre of the area's province (Bangkok has its own)."""
    province = snapshot.areas[area_code[:2]]
    if province.code == BANGKOK:
        return Centre(BANGKOK, "ศูนย์ดำรงธรรมกรุงเทพมหานคร")
    return Centre(province.code, f"ศูนย์ดำรงธรรมจังหวัด{province.name_th}")
