"""The coverage page: a world map (server-rendered SVG, no JavaScript, no download at run
time) of where a child helpline is listed and verified, with the same facts as a table."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import access
from .coverage import coverage_counts, coverage_rows
from .verification.selectors import upkeep_by_region

GEOMETRY = Path(__file__).with_name("geometry") / "world.json"


@cache
def world_geometry() -> dict[str, Any]:
    """Outlines (SVG path data) and dots of the world's countries by ISO numeric code."""
    document: dict[str, Any] = json.loads(GEOMETRY.read_text(encoding="utf-8"))
    return document


def state_labels() -> dict[str, str]:
    return {
        "none": _("No child helpline listed"),
        "listed": _("Listed, not verified within 12 months"),
        "verified": _("Listed and verified within 12 months"),
    }


def number_labels() -> dict[str, str]:
    return {
        "in_service": _("In service"),
        "allocated": _("Allocated, not yet in service"),
        "not_in_service": _("Suspended or withdrawn"),
        "none": _("None recorded"),
    }


@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    upkeep = access.user_sees_directory_upkeep(request.user)
    rows = coverage_rows(today)
    by_numeric = {row.numeric: row for row in rows}
    labels = state_labels()
    geometry = world_geometry()
    shapes = []
    for numeric, d in geometry["paths"].items():
        row = by_numeric.get(numeric)
        shapes.append(
            {
                "d": d,
                "state": row.state if row else "other",
                "title": f"{row.name}: {labels[row.state]}" if row else "",
            }
        )
    dots = [
        {"x": x, "y": y, "state": by_numeric[n].state, "title": f"{by_numeric[n].name}: "
         f"{labels[by_numeric[n].state]}"}
        for n, (x, y) in geometry["dots"].items()
        if n in by_numeric
    ]  # fmt: skip
    counts = coverage_counts(rows)
    context = {
        "title": _("Child helpline coverage"),
        "rows": rows,
        "shapes": shapes,
        "dots": dots,
        "width": round(geometry["width"]),
        "height": round(geometry["height"]),
        "legend": [
            (state, labels[state], counts[state]) for state in ("verified", "listed", "none")
        ],
        "number_labels": number_labels(),
        "upkeep": upkeep,
        "regions": upkeep_by_region(today) if upkeep else [],
        "total": len(rows),
    }
    return render(request, "helplines/coverage.html", context)
