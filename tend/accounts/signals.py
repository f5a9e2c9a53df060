"""Audit the account events allauth announces: sign-ins, sign-outs, password and MFA changes."""

from __future__ import annotations
