"""What every scenario shares: the vendored Dari client pointed at the navis under test, and a way
to report what the client returned or raised, as one JSON object on stdout that
dari-client.test.ts checks. Only the client's api_key and base_url differ from a script written
against the hosted API."""
import json
import os
import sys

from dari import Dari, DariError


def client(api_key=None, base_url=None):
    return Dari(api_key=api_key or os.environ["NAVIS_KEY"], base_url=base_url or os.environ["NAVIS_URL"])


def raised(call):
    """What `call()` raised, as the client built it. Only DariError is caught: any other exception
    ends the script with its traceback, so a wrong exception class fails the test."""
    try:
        value = call()
    except DariError as error:
        body = None
        if error.response is not None:
            try:
                body = error.response.json()
            except ValueError:
                body = error.response.text
        return {"raised": type(error).__name__, "status_code": error.status_code, "message": str(error), "body": body}
    return {"raised": None, "returned": value}


def report(values):
    json.dump(values, sys.stdout)
    sys.stdout.write("\n")
