"""One error the Dari client maps, provoked through one of its methods:
`python3 errors.py <case>` reports what the method raised (see harness.raised). The HTTP statuses
are those navis's /public routes answer; `unreachable` is the client's own error for a server it
cannot reach; `hosted_only` calls each method whose feature navis does not have."""
import os
import socket
import sys
import uuid

from harness import client, raised, report

site = os.environ.get("FIXTURES", "")
# A key of a second tenant the test set up for the case (limited, disabled or without private addresses).
other = os.environ.get("OTHER_KEY")


def on_session(dari, call):
    """What `call(session_id)` raised, on a session made for it and terminated after."""
    sid = dari.create_session()["session_id"]
    try:
        return raised(lambda: call(sid))
    finally:
        dari.terminate_session(sid)


def gone():
    dari = client()
    sid = dari.create_session()["session_id"]
    dari.terminate_session(sid)
    return raised(lambda: dari.run_single_action(action="click Save", session_id=sid))


def too_many():
    dari = client(other)
    first = dari.create_session()["session_id"]
    try:
        return raised(lambda: dari.create_session())
    finally:
        dari.terminate_session(first)


def unreachable():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    return raised(lambda: client(base_url=f"http://127.0.0.1:{port}").list_sessions())


def hosted_only():
    dari = client()
    calls = {
        "start_workflow": lambda: dari.start_workflow("wf_1", {"primary_email": "a@example.com"}),
        "list_workflow_executions": lambda: dari.list_workflow_executions("wf_1"),
        "get_execution_details": lambda: dari.get_execution_details("wf_1", "ex_1"),
        "resume_workflow": lambda: dari.resume_workflow(f"{os.environ['NAVIS_URL']}/public/workflows/resume/ex_1", {"user_response": "approved"}),
        "list_connected_accounts": dari.list_connected_accounts,
        "list_phone_numbers": dari.list_phone_numbers,
        "purchase_phone_number": lambda: dari.purchase_phone_number(label="Support Line"),
    }
    return {name: raised(call) for name, call in calls.items()}


CASES = {
    "bad_request": lambda: raised(lambda: client().create_session(ttl=86401)),
    "unauthorized": lambda: raised(lambda: client(api_key="nv_wrong_key_0000000000000000").list_sessions()),
    "forbidden_disabled": lambda: raised(lambda: client(other).list_sessions()),
    "forbidden_egress": lambda: on_session(client(other), lambda sid: client(other).run_single_action(action=f"go to {site}/sa-home.html", session_id=sid)),
    "not_found": lambda: raised(lambda: client().get_session(str(uuid.uuid4()))),
    "gone": gone,
    "too_large": lambda: raised(lambda: client().create_session(metadata={"blob": "x" * int(os.environ["BODY_LIMIT"])})),
    "too_many": too_many,
    "internal": lambda: on_session(client(), lambda sid: client().run_single_action(action="click Save", session_id=sid)),
    "unreachable": unreachable,
    "hosted_only": hosted_only,
}

report(CASES[sys.argv[1]]())
