"""The careplans API. Handlers stay thin: writes in services.py, reads in selectors.py."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["careplans"])
