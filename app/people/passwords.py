"""Password hashing (argon2id via argon2-cffi) and the complexity rule."""

from __future__ import annotations

import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.errors import ValidationError

MIN_LENGTH = 8
_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile


def hash_password(password: str) -> str:
    """An argon2id hash with the current parameters."""
    return _HASHER.hash(password)


def verify(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches; a malformed stored hash never matches."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with older or weaker parameters."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def check_strength(password: str, username: str = "", field: str = "password") -> None:
    """At least 8 characters, 3 of 4 kinds (upper, lower, digit, symbol), not the user name."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"密码至少需要 {MIN_LENGTH} 位。", field)
    kinds = sum(
        any(c in group for c in password)
        for group in (string.ascii_uppercase, string.ascii_lowercase, string.digits)
    ) + any(not c.isalnum() for c in password)
    if kinds < 3:
        raise ValidationError("密码需包含大写字母、小写字母、数字、符号中的至少三类。", field)
    if username and username.lower() in password.lower():
        raise ValidationError("密码不能包含用户名。", field)
