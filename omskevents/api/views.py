"""The API's views: each reads through the owning app's scoped selectors and writes through its services, so the
API and the pages keep one set of rules. An object the caller may not see is not there (404)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from omskevents.agencies.permissions import agencies_visible_to
from omskevents.agreements.models import Agreement, AgreementStage, AgreementVersion
from omskevents.agreements.selectors import agreements_visible_to
from omskevents.committee.models import Decision, Meeting
from omskevents.committee.selectors import meetings_visible_to
from omskevents.events.models import Event
from omskevents.events.permissions import can_view_events
from omskevents.workplan import permissions as workplan_permissions
from omskevents.workplan import selectors as workplan_selectors
from omskevents.workplan import services as workplan_services
from omskevents.workplan.enums import ExtensionStatus
from omskevents.workplan.models import Attachment, ExtensionRequest, ProgressReport, Task
from omskevents.workplan.selectors import TaskFilter
from omskevents.workplan.uploads import ALLOWED as ALLOWED_UPLOADS
from omskevents.workplan.views_files import attachment_response

from . import inputs, serializers
from .pagination import (
    AgencyCursorPagination,
    ApiCursorPagination,
    EventCursorPagination,
    MeetingCursorPagination,
    TaskCursorPagination,
)

# A lookup is an id of 1 to 19 ASCII digits; anything else is not a route (404) and never reaches the database.
ID = r"[0-9]{1,19}"


def _validated(serializer: Any) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    data: dict[str, Any] = serializer.validated_data
    return data


class ScopedViewSet(viewsets.GenericViewSet):
    lookup_value_regex = ID
    pagination_class = ApiCursorPagination

    def get_object(self) -> Any:
        # parse_id-strict route; the scoped queryset makes a foreign object a missing one.
        obj = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if obj is None:
            raise Http404
        return obj


class ReadOnlyScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass


# --- events, agencies ---------------------------------------------------------------------------------


class EventViewSet(ReadOnlyScopedViewSet):
    """The Forum and the commission sessions: open to everyone who works in the workspace."""

    serializer_class = serializers.EventSerializer
    pagination_class = EventCursorPagination

    def get_queryset(self) -> QuerySet[Event]:
        return Event.objects.all() if can_view_events(self.request.user) else Event.objects.none()


class AgencyViewSet(ReadOnlyScopedViewSet):
    """Agencies as the agency pages show them: all for the secretariat, the Kazakh ones for the Kazakh
    secretariat, one's own for agency people."""

    serializer_class = serializers.AgencySerializer
    pagination_class = AgencyCursorPagination

    def get_queryset(self) -> QuerySet[Any]:
        return agencies_visible_to(self.request.user)


# --- tasks --------------------------------------------------------------------------------------------


TASK_FILTER_PARAMETERS = [
    OpenApiParameter("event", OpenApiTypes.INT),
    OpenApiParameter("agency", OpenApiTypes.INT, description="Lead executor or co-executor."),
    OpenApiParameter("area", OpenApiTypes.STR),
    OpenApiParameter("status", OpenApiTypes.STR, many=True, explode=True, description="Repeat for several."),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Open tasks past their deadline only."),
    OpenApiParameter("due_from", OpenApiTypes.DATE),
    OpenApiParameter("due_to", OpenApiTypes.DATE),
    OpenApiParameter("q", OpenApiTypes.STR, description="Search in title, description and number."),
]


@extend_schema_view(
    list=extend_schema(parameters=TASK_FILTER_PARAMETERS),
    retrieve=extend_schema(responses=serializers.TaskDetailSerializer),
)
class TaskViewSet(ReadOnlyScopedViewSet):
    """The action plan, scoped like the plan's pages (workplan.selectors.tasks_visible_to)."""

    serializer_class = serializers.TaskSerializer
    pagination_class = TaskCursorPagination

    def get_queryset(self) -> QuerySet[Task]:
        return workplan_selectors.task_list(self.request.user).select_related("counterpart__lead_agency")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = {key: request.query_params.get(key) for key in request.query_params if key != "status"}
        params.pop("cursor", None)
        params.pop("page_size", None)
        if "status" in request.query_params:
            params["status"] = request.query_params.getlist("status")
        data = _validated(inputs.TaskFilterInput(data=params, user=request.user))
        flt = TaskFilter(
            event=data.get("event"),
            agency=data.get("agency"),
            area=data.get("area", ""),
            status=data.get("status") or (),
            overdue=data.get("overdue", False),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            q=data.get("q", ""),
        )
        tasks = workplan_selectors.tasks_filter(self.get_queryset(), flt, today=timezone.localdate())
        page = self.paginate_queryset(tasks)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _detail(self, request: Request, task: Task, *, code: int = http_status.HTTP_200_OK) -> Response:
        task = self.get_queryset().get(pk=task.pk)  # fresh, with its relations loaded
        user = request.user
        pending = task.extension_requests.filter(status=ExtensionStatus.PENDING).exists()
        context = {
            **self.get_serializer_context(),
            "status_targets": workplan_permissions.status_targets(user, task),
            "can_report": workplan_permissions.can_report_progress(user, task),
            "can_request_extension": workplan_permissions.can_request_extension(user, task) and not pending,
        }
        return Response(serializers.TaskDetailSerializer(task, context=context).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(request, self.get_object())

    @extend_schema(request=inputs.TaskCreateInput, responses={201: serializers.TaskDetailSerializer})
    def create(self, request: Request) -> Response:
        """A secretariat gives a task (the Kazakh secretariat to Kazakh agencies only)."""
        if not workplan_permissions.can_create_task(request.user):
            raise PermissionDenied
        data = _validated(inputs.TaskCreateInput(data=request.data, user=request.user))
        with transaction.atomic():
            task = workplan_services.task_create(actor=request.user, **data)
        return self._detail(request, task, code=http_status.HTTP_201_CREATED)

    @extend_schema(request=inputs.TaskAssignInput, responses=serializers.TaskDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """A secretariat assigns the task: lead executor, co-executors, people, deadline, title."""
        task = self.get_object()
        if not workplan_permissions.can_edit_task(request.user, task):
            raise PermissionDenied
        data = dict(_validated(inputs.TaskAssignInput(data=request.data, user=request.user)))
        reason = data.pop("reason", "")
        if "deadline" in data:
            data["deadline_anchor"] = ""  # a date given here is a fixed deadline
        with transaction.atomic():
            workplan_services.task_update(actor=request.user, task=task, reason=reason, **data)
        return self._detail(request, task)

    @extend_schema(request=inputs.StatusInput, responses=serializers.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str) -> Response:
        """Move the task through the workflow, as far as the workflow lets the caller."""
        task = self.get_object()
        if not workplan_permissions.actors_for(request.user, task):
            raise PermissionDenied  # neither an executor nor its secretariat
        data = _validated(inputs.StatusInput(data=request.data))
        with transaction.atomic():
            workplan_services.task_change_status(
                actor=request.user, task=task, status=data["status"], note=data["note"]
            )
        return self._detail(request, task)

    @extend_schema(
        methods=["get"],
        parameters=[OpenApiParameter("cursor", OpenApiTypes.STR)],
        responses=serializers.ReportSerializer(many=True),
    )
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": inputs.ReportInput},
        responses={201: serializers.ReportSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=ApiCursorPagination,
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def reports(self, request: Request, pk: str) -> Response:
        """The task's progress reports; an executor reports progress, with files (multipart)."""
        task = self.get_object()
        if request.method == "GET":
            reports = _reports(request).filter(task=task)
            page = self.paginate_queryset(reports)
            return self.get_paginated_response(serializers.ReportSerializer(page, many=True).data)
        if not workplan_permissions.can_report_progress(request.user, task):
            raise PermissionDenied
        data = _validated(inputs.ReportInput(data=request.data))
        try:
            with transaction.atomic():
                report = workplan_services.task_report_progress(
                    actor=request.user, task=task, text=data["text"], files=data["files"], is_final=data["is_final"]
                )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            # The one check that names no field is a file's (its type and content): under "files".
            raise ValidationError({"files": error.messages}) from error
        return Response(serializers.ReportSerializer(_reports(request).get(pk=report.pk)).data, status=201)

    @extend_schema(request=inputs.ExtensionInput, responses={201: serializers.ExtensionRequestSerializer})
    @action(detail=True, methods=["post"], url_path="extension-requests")
    def extension_requests(self, request: Request, pk: str) -> Response:
        """The lead executor asks to move the deadline."""
        task = self.get_object()
        if not workplan_permissions.can_request_extension(request.user, task):
            raise PermissionDenied
        data = _validated(inputs.ExtensionInput(data=request.data))
        with transaction.atomic():
            made = workplan_services.task_request_extension(
                actor=request.user, task=task, new_deadline=data["new_deadline"], reason=data["reason"]
            )
        return Response(serializers.ExtensionRequestSerializer(_extensions(request).get(pk=made.pk)).data, status=201)


# --- reports, files, extension requests ---------------------------------------------------------------------


def _reports(request: Request) -> QuerySet[ProgressReport]:
    return (
        workplan_selectors.reports_visible_to(request.user)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )


def _extensions(request: Request) -> QuerySet[ExtensionRequest]:
    return workplan_selectors.extension_requests_visible_to(request.user).select_related("requested_by", "decided_by")


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("task", OpenApiTypes.INT)]))
class ReportViewSet(ReadOnlyScopedViewSet):
    """Progress reports on the tasks the caller may see, newest first; their files' metadata."""

    serializer_class = serializers.ReportSerializer

    def get_queryset(self) -> QuerySet[ProgressReport]:
        return _reports(self.request)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _validated(inputs.ReportFilterInput(data=request.query_params, user=request.user))
        reports = self.get_queryset()
        if data.get("task") is not None:
            reports = reports.filter(task=data["task"])
        page = self.paginate_queryset(reports)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AttachmentDownloadView(APIView):
    """A report's file, through the same check as the task page's download (workplan.permissions)."""

    @extend_schema(responses={(200, kind): OpenApiTypes.BINARY for kind in sorted(set(ALLOWED_UPLOADS.values()))})
    def get(self, request: Request, pk: str) -> FileResponse:
        return attachment_response(request.user, int(pk))


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("task", OpenApiTypes.INT), OpenApiParameter("status", OpenApiTypes.STR)]
    )
)
class ExtensionRequestViewSet(ReadOnlyScopedViewSet):
    """Deadline extension requests on the tasks the caller may see; the task's secretariat decides them."""

    serializer_class = serializers.ExtensionRequestSerializer

    def get_queryset(self) -> QuerySet[ExtensionRequest]:
        return _extensions(self.request)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _validated(inputs.ExtensionFilterInput(data=request.query_params, user=request.user))
        rows = self.get_queryset()
        if data.get("task") is not None:
            rows = rows.filter(task=data["task"])
        if data.get("status"):
            rows = rows.filter(status=data["status"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=inputs.ExtensionDecisionInput, responses=serializers.ExtensionRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        extension = self.get_queryset().select_related("task__lead_agency").filter(pk=int(pk)).first()
        if extension is None:
            raise Http404
        if not workplan_permissions.can_decide_extension(request.user, extension):
            raise PermissionDenied
        data = _validated(inputs.ExtensionDecisionInput(data=request.data))
        with transaction.atomic():
            workplan_services.extension_decide(
                actor=request.user, request=extension, approve=data["approve"], note=data["note"]
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=extension.pk)).data)


# --- meetings and decisions, agreements -----------------------------------------------------------------


class MeetingViewSet(ReadOnlyScopedViewSet):
    """The committee's meetings with their agenda and decisions (every member agency reads them)."""

    serializer_class = serializers.MeetingSerializer
    pagination_class = MeetingCursorPagination

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            meetings_visible_to(self.request.user)
            .select_related("committee", "chair")
            .prefetch_related(
                "agenda",
                Prefetch(
                    "decisions",
                    queryset=Decision.objects.select_related("lead_agency").prefetch_related("co_executors"),
                ),
            )
        )


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("meeting", OpenApiTypes.INT)]))
class DecisionViewSet(ReadOnlyScopedViewSet):
    serializer_class = serializers.DecisionSerializer

    def get_queryset(self) -> QuerySet[Decision]:
        meetings = meetings_visible_to(self.request.user).values("pk")
        rows = Decision.objects.filter(meeting__in=meetings).select_related("lead_agency")
        return rows.prefetch_related("co_executors")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _validated(inputs.DecisionFilterInput(data=request.query_params, user=request.user))
        rows = self.get_queryset()
        if data.get("meeting") is not None:
            rows = rows.filter(meeting=data["meeting"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(retrieve=extend_schema(responses=serializers.AgreementDetailSerializer))
class AgreementViewSet(ReadOnlyScopedViewSet):
    """Agreements to sign with their stages (and, one at a time, their text versions)."""

    serializer_class = serializers.AgreementSerializer

    def get_queryset(self) -> QuerySet[Agreement]:
        rows = agreements_visible_to(self.request.user).select_related("ru_responsible", "kz_responsible")
        rows = rows.prefetch_related(
            "ru_parties", "kz_parties", Prefetch("stages", queryset=AgreementStage.objects.order_by("deadline", "pk"))
        )
        if self.action == "retrieve":
            rows = rows.prefetch_related(Prefetch("versions", queryset=AgreementVersion.objects.order_by("pk")))
        return rows

    def get_serializer_class(self) -> Any:
        return serializers.AgreementDetailSerializer if self.action == "retrieve" else serializers.AgreementSerializer


class MeView(APIView):
    """Who the caller is, and the scope of the token used."""

    @extend_schema(responses=serializers.MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(serializers.MeSerializer(request.user, context={"token": request.auth}).data)


class NotFoundView(APIView):
    """Any other address under /api/v1/ (a malformed id included): a JSON 404, as the API's other answers are."""

    permission_classes: list[Any] = []
    throttle_classes: list[Any] = []

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise Http404

    post = put = patch = delete = get
