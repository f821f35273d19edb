"""The six-digit TOTP code of a hex key now (RFC 6238: HOTP of the 30-second step, SHA-1), as django_otp.oath.TOTP
computes it with its defaults. Plain standard library: the locust process must not import Django."""

import hashlib
import hmac
import struct
import time


def totp(key_hex: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)
