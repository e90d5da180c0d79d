"""The OpenAPI 3.1 description of the JSON API, written by hand beside the routes."""

from __future__ import annotations

from typing import Any

from tracker.services.filter_args import FILTER_HELP, FILTER_NAMES
from tracker.services.pledge_list import SORTS

FILTER_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": name,
        "in": "query",
        "schema": (
            {"type": "array", "items": {"type": "string"}}
            if name == "donor"
            else {"type": "string", "format": "date"}
            if name in ("from", "to")
            else {"type": "string"}
        ),
        **({"style": "form", "explode": True} if name == "donor" else {}),
        "description": FILTER_HELP[name],
    }
    for name in FILTER_NAMES
]
"""The filter vocabulary (tracker.services.filter_args), as every read endpoint takes it."""

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "field": {"type": ["string", "null"]}},
}
DECIMAL = {"type": ["string", "null"], "pattern": r"^-?\d+(\.\d+)?$"}


def _error(description: str) -> dict[str, Any]:
    """A response whose body is the JSON error object."""
    ref = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def _json(description: str, ref: str) -> dict[str, Any]:
    """A JSON response with a schema from the components."""
    schema = {"$ref": f"#/components/schemas/{ref}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict[str, Any]:
    """The whole description: every route of the /api blueprints."""
    pledge_id = {"name": "pledge_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    by = {"name": "by", "in": "query", "schema": {"type": "string", "enum": [
        "donor", "group", "kind", "item", "category", "stage", "month"]}}  # fmt: skip
    paging = [
        {"name": "sort", "in": "query", "description": "The column pages are ordered by, "
         "then the id.", "schema": {"type": "string", "enum": list(SORTS), "default": "id"}},
        {"name": "dir", "in": "query",
         "schema": {"type": "string", "enum": ["asc", "desc"], "default": "asc"}},
        {"name": "after", "in": "query", "description": "Continue after this pledge (a keyset "
         "page): the `next_after` of the page before. Follow `next` to keep sort and filters.",
         "schema": {"type": "integer", "minimum": 1}},
        {"name": "per_page", "in": "query",
         "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
    ]  # fmt: skip
    body = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PledgeInput"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Pledge tracker API",
            "version": "1",
            "description": "Totals, pledges and donors. Decimal numbers are JSON strings.",
        },
        "paths": {
            "/api/totals": {"get": {
                "summary": "Totals grouped by donor, group, kind, item, category, stage or month",
                "parameters": [by, *FILTER_PARAMETERS],
                "responses": {"200": _json("Totals", "Totals"), "400": _error("Bad parameter")},
            }},
            "/api/pledges": {
                "get": {
                    "summary": "A page of pledges",
                    "parameters": [*paging, *FILTER_PARAMETERS],
                    "responses": {"200": _json("Pledges", "PledgePage"),
                                  "400": _error("Bad parameter")},
                },
                "post": {
                    "summary": "Create a pledge",
                    "requestBody": body,
                    "responses": {"201": _json("Created", "Pledge"),
                                  "400": _error("Malformed body"),
                                  "422": _error("A pledge rule is broken")},
                },
            },
            "/api/pledges/{pledge_id}": {
                "get": {
                    "summary": "One pledge, with its reports (newest first) and stage figures",
                    "parameters": [pledge_id],
                    "responses": {"200": _json("The pledge", "PledgeWithReports"),
                                  "404": _error("No such pledge")},
                },
                "patch": {
                    "summary": "Change a pledge; send the version the edit is based on",
                    "parameters": [pledge_id],
                    "requestBody": body,
                    "responses": {"200": _json("The changed pledge", "Pledge"),
                                  "400": _error("Malformed body"),
                                  "404": _error("No such pledge"),
                                  "409": _error("Changed by someone else: current and yours"),
                                  "422": _error("A pledge rule is broken")},
                },
            },
            "/api/donors": {"get": {
                "summary": "Every donor with its aliases",
                "responses": {"200": _json("Donors", "Donors")},
            }},
            "/api/openapi.json": {"get": {
                "summary": "This description",
                "responses": {"200": {"description": "OpenAPI 3.1 document"}},
            }},
        },
        "components": {"schemas": _schemas()},
    }  # fmt: skip


def _schemas() -> dict[str, Any]:
    """The component schemas."""
    from tracker.exports import MONEY_COLUMNS, PLEDGE_COLUMNS, TOTALS_VALUE_COLUMNS
    from tracker.services.reports import REPORT_FIELDS

    pledge = {name: (DECIMAL if name in MONEY_COLUMNS else {}) for name in PLEDGE_COLUMNS}
    total = {name: (DECIMAL if name in MONEY_COLUMNS else {}) for name in TOTALS_VALUE_COLUMNS}
    return {
        "Error": ERROR,
        "Pledge": {"type": "object", "properties": pledge},
        "PledgeWithReports": {
            "type": "object",
            "properties": {
                **pledge,
                "reports": {"type": "array", "items": {"type": "object", "properties": {
                    name: (DECIMAL if name in ("amount", "eur") else {}) for name in REPORT_FIELDS
                }}},
                "package_total": {"type": "boolean"}, "counts_money": {"type": "boolean"},
                "deleted_at": {"type": ["string", "null"], "description": "When it was "
                               "deleted, rejected or linked to another pledge; null if live."},
                "duplicate_of_id": {"type": ["integer", "null"], "description": "The pledge "
                                    "it may repeat (out of the totals until decided), or "
                                    "the one it was linked to."},
                "package": {"type": ["object", "null"], "properties": {
                    "id": {"type": "integer"}, "name": {"type": "string"},
                    "total_id": {"type": ["integer", "null"]}, "total_amount": DECIMAL,
                    "total_currency": {"type": ["string", "null"]},
                    "part_ids": {"type": "array", "items": {"type": "integer"}},
                }},
                "stages": {"type": "object", "properties": {
                    stage: {"type": "object", "properties": {
                        "quantity": DECIMAL, "amount": DECIMAL, "eur": DECIMAL, "on": {},
                    }} for stage in ("promised", "allocated", "delivered")
                }},
            },
        },
        "PledgeInput": {
            "type": "object",
            "properties": {"version": {"type": "integer"}, "donor_id": {"type": "integer"},
                           "recipient_id": {"type": "integer"}, "item_id": {"type": "integer"},
                           "amount": DECIMAL, "quantity": DECIMAL,
                           "currency": {"type": "string"},
                           "announced": {"type": "string", "format": "date"},
                           "package_id": {"type": ["integer", "null"]},
                           "package_total": {"type": "boolean"}},
            "additionalProperties": True,
        },
        "PledgePage": {"type": "object", "properties": {
            "sort": {"type": "string"}, "dir": {"type": "string"},
            "per_page": {"type": "integer"}, "after": {"type": ["integer", "null"]},
            "next_after": {"type": ["integer", "null"],
                           "description": "The `after` of the next page; null on the last."},
            "next": {"type": ["string", "null"],
                     "description": "The next page's URL, same filters and order."},
            "total": {"type": ["integer", "null"], "description": "How many pledges the "
                      "filters cover, from the totals rollup; null where the rollup cannot "
                      "answer (dates, text search, source, two dimensions): pledges are never "
                      "counted per call."},
            "pledges": {"type": "array", "items": {"$ref": "#/components/schemas/Pledge"}}}},
        "Totals": {"type": "object", "properties": {
            "by": {"type": "string"},
            "totals": {"type": "array", "items": {"type": "object", "properties": total}}}},
        "Donors": {"type": "object", "properties": {"donors": {"type": "array"}}},
    }  # fmt: skip
