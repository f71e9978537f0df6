"""Demo data: the Forum's register of agreements to sign, across every stage, with their Russian and Kazakh texts.

The agencies are the real authorities of both sides; the companies are made up for the demo (no real firm's
plans are implied). Each agreement is found by its event and title and created only when missing, through the
same services the secretariat's pages use: the stage deadlines are counted back from the Forum's first day.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from omskevents.accounts.models import User
from omskevents.agencies.enums import Country, Level
from omskevents.agencies.models import Agency
from omskevents.agreements import services
from omskevents.agreements.enums import AgreementKind as K
from omskevents.agreements.enums import Stage as S
from omskevents.agreements.models import Agreement
from omskevents.events.models import Event

from .blocks import SeedReport, minimal_pdf

# Kazakh agencies the register needs beside those of data_agencies.py: (short name, full name, English, e-mail).
MORE_KZ_AGENCIES = [
    ("Акимат Костанайской обл.", "Акимат Костанайской области", "Akimat of Kostanay Region", "akimat@kostanay.example"),
    ("Акимат Акмолинской обл.", "Акимат Акмолинской области", "Akimat of Akmola Region", "akimat@akmola.example"),
    ("Минтранс РК", "Министерство транспорта Республики Казахстан",
     "Ministry of Transport of the Republic of Kazakhstan", "info@transport.example"),
    ("Минсельхоз РК", "Министерство сельского хозяйства Республики Казахстан",
     "Ministry of Agriculture of the Republic of Kazakhstan", "info@moa.example"),
]  # fmt: skip

# The path each demo agreement takes to reach its stage (the secretariat makes every move).
PATH: dict[str, list[str]] = {
    S.PROPOSED: [],
    S.DRAFT_READY: [S.DRAFT_READY],
    S.RU_AGREED: [S.DRAFT_READY, S.RU_AGREED],
    S.SENT: [S.DRAFT_READY, S.RU_AGREED, S.SENT],
    S.PARTNER_COMMENTS: [S.DRAFT_READY, S.RU_AGREED, S.SENT, S.PARTNER_COMMENTS],
    S.BOTH_AGREED: [S.DRAFT_READY, S.RU_AGREED, S.SENT, S.PARTNER_COMMENTS, S.BOTH_AGREED],
    S.TEXTS_CHECKED: [S.DRAFT_READY, S.RU_AGREED, S.SENT, S.BOTH_AGREED, S.TEXTS_CHECKED],
    S.READY: [S.DRAFT_READY, S.RU_AGREED, S.SENT, S.PARTNER_COMMENTS, S.BOTH_AGREED, S.TEXTS_CHECKED, S.READY],
    S.SIGNED: [S.DRAFT_READY, S.RU_AGREED, S.SENT, S.BOTH_AGREED, S.TEXTS_CHECKED, S.READY, S.SIGNED],
    S.WITHDRAWN: [S.DRAFT_READY, S.WITHDRAWN],
}
COMMENTS: dict[str, str] = {
    S.DRAFT_READY: "Проект подготовлен ответственным ведомством.",
    S.RU_AGREED: "Согласовано с правовым управлением и заинтересованными министерствами.",
    S.SENT: "Направлено казахстанской стороне по дипломатическим каналам.",
    S.PARTNER_COMMENTS: "Получены замечания казахстанской стороны к статьям 3 и 5.",
    S.BOTH_AGREED: "Текст согласован сторонами.",
    S.TEXTS_CHECKED: "Правовая и лингвистическая экспертиза русского и казахского текстов проведена.",
    S.READY: "Тексты отпечатаны на бланках, папки для подписания подготовлены.",
    S.WITHDRAWN: "Казахстанская сторона предложила перенести подписание на XXIII Форум.",
}


@dataclass(frozen=True)
class Spec:
    title: str
    kind: str
    stage: str
    ru: str  # responsible agency of the Russian side (also its party unless parties are given)
    kz: str
    ru_parties: tuple[str, ...] = ()
    kz_parties: tuple[str, ...] = ()
    ru_organisations: str = ""
    kz_organisations: str = ""
    ru_signatory: str = ""
    kz_signatory: str = ""
    seats: tuple[str, str] = ("", "")
    order: int | None = None
    signed_days_ago: int = 0
    extra: dict[str, str] = field(default_factory=dict)


AGREEMENTS = [
    Spec("Меморандум о сотрудничестве в сфере развития речного туризма на реке Иртыш", K.INTERREGIONAL, S.PROPOSED,
         "Правительство Омской обл.", "Акимат Павлодарской обл."),
    Spec("Соглашение о сотрудничестве в области образования и академической мобильности студентов", K.INTERREGIONAL,
         S.PROPOSED, "Минобразования Омской обл.", "Акимат СКО"),
    Spec("Дорожная карта по развитию совместного семеноводства зерновых и масличных культур на 2026–2028 годы",
         K.MINISTRY, S.DRAFT_READY, "Минсельхозпрод Омской обл.", "Минсельхоз РК"),
    Spec("Соглашение между Правительством Омской области и акиматом Костанайской области о торгово-экономическом, "
         "научно-техническом и культурном сотрудничестве", K.INTERREGIONAL, S.RU_AGREED, "Правительство Омской обл.",
         "Акимат Костанайской обл."),
    Spec("Соглашение о сотрудничестве в сфере транспорта и логистики, включая грузовые перевозки по Иртышу",
         K.MINISTRY, S.SENT, "Минтранс Омской обл.", "Минтранс РК"),
    Spec("Меморандум о развитии приграничной торговли и товаропроводящей сети", K.MINISTRY, S.PARTNER_COMMENTS,
         "Минэкономики Омской обл.", "Минторговли и интеграции РК"),
    Spec("Соглашение между Правительством Омской области и акиматом Акмолинской области о сотрудничестве",
         K.INTERREGIONAL, S.BOTH_AGREED, "Правительство Омской обл.", "Акимат Акмолинской обл."),
    Spec("Протокол о сотрудничестве в сфере развития приграничных территорий Российской Федерации и Республики "
         "Казахстан", K.INTERGOVERNMENTAL, S.TEXTS_CHECKED, "Минэкономразвития России",
         "Минторговли и интеграции РК", ru_parties=("Минэкономразвития России", "МИД России"),
         ru_signatory="Заместитель Министра экономического развития Российской Федерации",
         kz_signatory="Вице-министр торговли и интеграции Республики Казахстан"),
    Spec("Соглашение о поставках сельскохозяйственной техники омского производства в Костанайскую область",
         K.BUSINESS, S.READY, "Минпром Омской обл.", "Акимат Костанайской обл.", ru_parties=(), kz_parties=(),
         ru_organisations="ООО «Омский завод сельхозмашин»", kz_organisations="ТОО «Костанай Агротехника»",
         ru_signatory="Генеральный директор ООО «Омский завод сельхозмашин»",
         kz_signatory="Директор ТОО «Костанай Агротехника»", seats=("3", "4"), order=2),
    Spec("Соглашение о сотрудничестве в области здравоохранения и санитарно-эпидемиологического благополучия",
         K.INTERREGIONAL, S.READY, "Минздрав Омской обл.", "Акимат Павлодарской обл.",
         ru_signatory="Министр здравоохранения Омской области", kz_signatory="Заместитель акима Павлодарской области",
         seats=("1", "2"), order=1),
    Spec("Соглашение о сотрудничестве в сфере агропромышленного комплекса", K.INTERREGIONAL, S.SIGNED,
         "Минсельхозпрод Омской обл.", "Акимат СКО", ru_signatory="Губернатор Омской области В. П. Хоценко",
         kz_signatory="Аким Северо-Казахстанской области", seats=("1", "2"), order=3, signed_days_ago=14),
    Spec("Инвестиционное соглашение о строительстве мультимодального логистического центра", K.BUSINESS, S.SIGNED,
         "Минэкономики Омской обл.", "Акимат Павлодарской обл.", ru_organisations="ООО «Иртыш-Логистик»",
         kz_organisations="ТОО «Павлодар Транзит»", ru_signatory="Генеральный директор ООО «Иртыш-Логистик»",
         kz_signatory="Директор ТОО «Павлодар Транзит»", seats=("3", "4"), order=4, signed_days_ago=7),
    Spec("Меморандум о взаимопонимании в сфере переработки нефтепродуктов", K.BUSINESS, S.WITHDRAWN,
         "Минпром Омской обл.", "Акимат Павлодарской обл.", ru_organisations="АО «Омский нефтехимический кластер»",
         kz_organisations="ТОО «Павлодарская нефтехимия»"),
    Spec("Соглашение о сотрудничестве в области молодёжной политики и спорта", K.INTERREGIONAL, S.SIGNED,
         "Минмолодёжи Омской обл.", "Акимат СКО", ru_signatory="Министр по делам молодёжи, физической культуры и "
         "спорта Омской области", kz_signatory="Заместитель акима Северо-Казахстанской области", seats=("1", "2"),
         order=5, signed_days_ago=3),
]  # fmt: skip


def _docx(title: str, language: str, version: int) -> bytes:
    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph(f"Проект. Текст на {'русском' if language == 'ru' else 'казахском'} языке, редакция {version}.")
    doc.add_paragraph("Стороны, руководствуясь принципами равноправия и взаимной выгоды, договорились о следующем: …")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _texts(stage: str) -> list[tuple[str, int, str]]:
    """(language, version, format) of the texts an agreement at this stage has."""
    order = list(S.values)
    reached = order.index(stage) if stage != S.WITHDRAWN else order.index(S.DRAFT_READY)
    texts: list[tuple[str, int, str]] = []
    if reached >= order.index(S.DRAFT_READY):
        texts.append(("ru", 1, "docx"))
    if reached >= order.index(S.PARTNER_COMMENTS):
        texts.append(("ru", 2, "docx"))
    if reached >= order.index(S.BOTH_AGREED):
        texts.append(("kk", 1, "docx"))
    if reached >= order.index(S.TEXTS_CHECKED):
        texts.append(("ru", 3, "pdf"))
        texts.append(("kk", 2, "pdf"))
    return texts


def _upload(number: int, title: str, language: str, version: int, kind: str) -> SimpleUploadedFile:
    name = f"soglashenie-{number:02d}-{language}-v{version}.{kind}"
    if kind == "pdf":
        content = minimal_pdf(f"Omsk 2026 - agreement {number}, {language.upper()} text, final version {version}")
        return SimpleUploadedFile(name, content, content_type="application/pdf")
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return SimpleUploadedFile(name, _docx(title, language, version), content_type=content_type)


def _kazakh_agencies(agencies: dict[str, Agency], report: SeedReport) -> dict[str, Agency]:
    found = dict(agencies)
    for short, name, name_en, email in MORE_KZ_AGENCIES:
        agency = Agency.objects.filter(short_name=short).first()
        if agency is None:
            agency = Agency(
                short_name=short, name=name, name_en=name_en, country=Country.KZ, level=Level.FOREIGN, email=email
            )
            agency.full_clean()
            agency.save()
            report.add("agencies")
        found[short] = agency
    return found


def seed_agreements(
    forum: Event, agencies: dict[str, Agency], users: dict[str, User], today: dt.date, report: SeedReport
) -> None:
    secretary = users["secretariat"]
    agencies = _kazakh_agencies(agencies, report)
    for number, spec in enumerate(AGREEMENTS, start=1):
        if Agreement.objects.filter(event=forum, title=spec.title).exists():
            continue
        ru_parties = spec.ru_parties if spec.ru_parties or spec.ru_organisations else (spec.ru,)
        kz_parties = spec.kz_parties if spec.kz_parties or spec.kz_organisations else (spec.kz,)
        agreement = services.agreement_create(
            actor=secretary,
            event=forum,
            title=spec.title,
            kind=spec.kind,
            ru_responsible=agencies[spec.ru],
            kz_responsible=agencies[spec.kz],
            ru_parties=[agencies[name] for name in ru_parties],
            kz_parties=[agencies[name] for name in kz_parties],
            number=str(number),
            ru_organisations=spec.ru_organisations,
            kz_organisations=spec.kz_organisations,
            ru_signatory=spec.ru_signatory,
            kz_signatory=spec.kz_signatory,
            ru_seat=spec.seats[0],
            kz_seat=spec.seats[1],
            signing_order=spec.order,
        )
        report.add("agreements")
        for language, version, kind in _texts(spec.stage):
            services.agreement_version_add(
                actor=secretary,
                agreement=agreement,
                language=language,
                upload=_upload(number, spec.title, language, version, kind),
                comment="" if version == 1 else "Учтены замечания сторон.",
            )
            report.add("agreement texts")
        for stage in PATH[spec.stage]:
            signing = stage == S.SIGNED
            agreement = services.agreement_move(
                actor=secretary,
                agreement=agreement,
                stage=stage,
                comment=COMMENTS.get(stage, ""),
                signed_on=today - dt.timedelta(days=spec.signed_days_ago) if signing else None,
                signed_place="г. Омск, Правительство Омской области" if signing else "",
                signed_by=f"{spec.ru_signatory}; {spec.kz_signatory}" if signing else "",
            )
