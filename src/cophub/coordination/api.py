"""The coordination API under ``/api/v1/coordination/``: one router that mounts the router
of each sub-topic (``meetings``, ``documents``, ``liaison``, ``activities``,
``implementation``, ``youth``, ``reports``). The same services and access checks as the
pages."""

from ninja import Router

from .activities.api import router as activities_router
from .documents.api import router as documents_router
from .implementation.api import router as implementation_router
from .liaison.api import router as liaison_router
from .meetings.api import router as meetings_router
from .reports.api import router as reports_router
from .youth.api import router as youth_router

SUB_ROUTERS = (
    meetings_router,
    documents_router,
    liaison_router,
    activities_router,
    implementation_router,
    youth_router,
    reports_router,
)


def _operation_ids_kept(sub_router: Router) -> None:
    """Keep the OpenAPI operation ids the operations had when they were all in this module
    (``cophub_coordination_api_<function>``): clients generate code from them, and Ninja's
    default id would now name the sub-package."""
    for path_view in sub_router.path_operations.values():
        for operation in path_view.operations:
            if operation.operation_id is None:
                operation.operation_id = f"cophub_coordination_api_{operation.view_func.__name__}"


router = Router(tags=["coordination"])
for _sub_router in SUB_ROUTERS:
    _operation_ids_kept(_sub_router)
    router.add_router("", _sub_router)
