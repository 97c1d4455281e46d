"""What every scenario of test/sdk/python shares: navis's Python client (sdk/python, on PYTHONPATH)
pointed at the navis under test by NAVIS_URL and NAVIS_API_KEY, and a way to report what it
returned or raised, as one JSON object on stdout that python-client.test.ts checks. Bytes are
reported as base64."""
import base64
import json
import os
import sys

from navis import NavisError

SITE = os.environ.get("FIXTURES", "")


def raised(call):
    """What `call()` raised: only NavisError is caught, so any other exception fails the script."""
    try:
        value = call()
    except NavisError as error:
        return {
            "raised": type(error).__name__,
            "status_code": error.status_code,
            "detail": error.detail,
            "message": str(error),
            "code": error.code,
        }
    return {"raised": None, "returned": value}


def report(values):
    json.dump(values, sys.stdout, default=lambda value: base64.b64encode(value).decode("ascii"))
    sys.stdout.write("\n")
