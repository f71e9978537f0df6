"""What the API shows of each object, and what its writes accept. Reads only: every write goes through a service."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.agreements.models import Agreement, AgreementStage, AgreementVersion
from omskevents.committee.models import AgendaItem, Decision, Meeting
from omskevents.events.models import Event
from omskevents.workplan.models import Attachment, ExtensionRequest, ProgressReport, Task


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ("id", "name")


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ("id", "short_name", "country")


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = ("id", "name", "name_en", "short_name", "country", "level", "parent", "email", "phone", "time_zone")


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = (
            "id", "kind", "number", "title_ru", "title_en", "short_title", "city", "host_country",
            "start_date", "end_date", "time_zone", "status",
        )  # fmt: skip


class CounterpartSerializer(serializers.ModelSerializer):
    """The other side's task of a pair: what the task page shows of it to whoever sees this task."""

    lead_agency = AgencyRefSerializer(read_only=True)

    class Meta:
        model = Task
        fields = ("id", "number", "title", "lead_agency", "deadline", "status")


class TaskSerializer(serializers.ModelSerializer):
    event = serializers.PrimaryKeyRelatedField(read_only=True)
    lead_agency = AgencyRefSerializer(read_only=True)
    co_executors = AgencyRefSerializer(many=True, read_only=True)
    responsible = PersonSerializer(read_only=True, allow_null=True)
    controller = PersonSerializer(read_only=True, allow_null=True)
    counterpart = CounterpartSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields: tuple[str, ...] = (
            "id", "event", "number", "area", "title", "lead_agency", "co_executors", "responsible", "controller",
            "deadline", "deadline_note", "priority", "status", "status_changed_at", "source", "counterpart",
            "created", "updated",
        )  # fmt: skip


class TaskDetailSerializer(TaskSerializer):
    status_targets = serializers.SerializerMethodField(help_text="Statuses the caller may move the task to now.")
    can_report = serializers.SerializerMethodField()
    can_request_extension = serializers.SerializerMethodField()

    class Meta(TaskSerializer.Meta):
        fields = (*TaskSerializer.Meta.fields, "description", "status_targets", "can_report", "can_request_extension")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_status_targets(self, task: Task) -> list[str]:
        return list(self.context["status_targets"])

    def get_can_report(self, task: Task) -> bool:
        return bool(self.context["can_report"])

    def get_can_request_extension(self, task: Task) -> bool:
        return bool(self.context["can_request_extension"])


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ("id", "original_name", "content_type", "size", "download_url")

    def get_download_url(self, attachment: Attachment) -> str:
        return reverse("api:attachment-download", args=[attachment.pk])


class ReportSerializer(serializers.ModelSerializer):
    task = serializers.PrimaryKeyRelatedField(read_only=True)
    author = PersonSerializer(read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ("id", "task", "author", "text", "is_final", "attachments", "created")


class ExtensionRequestSerializer(serializers.ModelSerializer):
    task = serializers.PrimaryKeyRelatedField(read_only=True)
    requested_by = PersonSerializer(read_only=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ExtensionRequest
        fields = (
            "id", "task", "requested_by", "old_deadline", "new_deadline", "reason", "status", "decided_by",
            "decided_at", "decision_note", "created",
        )  # fmt: skip


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ("order", "title", "speaker")


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)
    lead_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    co_executors = AgencyRefSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ("id", "meeting", "number", "text", "lead_agency", "co_executors", "deadline")


class MeetingSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.name", read_only=True)
    event = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    chair = PersonSerializer(read_only=True, allow_null=True)
    # A link or "" (none): a plain string, since a blank URL field's "uri or empty" is ambiguous to validators.
    video_link = serializers.CharField(read_only=True)
    agenda = AgendaItemSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = (
            "id", "committee", "number", "event", "title", "starts_at", "ends_at", "place", "video_link", "chair",
            "status", "minutes", "agenda", "decisions",
        )  # fmt: skip


class AgreementStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementStage
        fields = ("stage", "side", "deadline", "deadline_note", "reached_at")


class AgreementVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementVersion
        fields = ("id", "language", "version", "original_name", "content_type", "size", "comment", "created")


class AgreementSerializer(serializers.ModelSerializer):
    event = serializers.PrimaryKeyRelatedField(read_only=True)
    ru_parties = AgencyRefSerializer(many=True, read_only=True)
    kz_parties = AgencyRefSerializer(many=True, read_only=True)
    ru_responsible = AgencyRefSerializer(read_only=True)
    kz_responsible = AgencyRefSerializer(read_only=True, allow_null=True)
    stages = AgreementStageSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields: tuple[str, ...] = (
            "id", "event", "number", "title", "kind", "stage", "ru_parties", "kz_parties", "ru_responsible",
            "kz_responsible", "ru_signatory", "kz_signatory", "ceremony_day", "signing_order", "next_stage",
            "next_deadline", "signed_on", "signed_place", "stages", "created", "updated",
        )  # fmt: skip


class AgreementDetailSerializer(AgreementSerializer):
    versions = AgreementVersionSerializer(many=True, read_only=True)

    class Meta(AgreementSerializer.Meta):
        fields = (*AgreementSerializer.Meta.fields, "versions")


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    agency = AgencyRefSerializer(read_only=True, allow_null=True)
    token_scope = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "username", "name", "role", "agency", "token_scope")

    def get_token_scope(self, user: User) -> str | None:
        token: Any = self.context.get("token")
        return token.scope if token is not None else None
