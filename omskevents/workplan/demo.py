"""Demo data: the XXII Forum and the 27th commission session, agencies, people, the committee and the action plan.

Everything is found by a natural key (agency short name, username, event kind and number, meeting number,
task event and number) and created only when missing: a second run adds nothing and changes nothing, and rows
a person has edited since stay as they are. Dates are placed relative to today so the demo always looks alive.
"""

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from omskevents.accounts.enums import Role
from omskevents.accounts.models import User
from omskevents.agencies.enums import Country, Level
from omskevents.agencies.models import Agency
from omskevents.calendars.models import CalendarDay, CalendarSource
from omskevents.calendars.services import calendar_country, calendar_seed, is_working_day, next_working_day
from omskevents.committee.enums import Attendance, MeetingStatus, MemberRole, WorkingGroupKind
from omskevents.committee.models import (
    AgendaItem,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    MeetingAttendance,
    WorkingGroup,
)
from omskevents.committee.services import agenda_item_add, meeting_create
from omskevents.core.cache import data_changed
from omskevents.events.enums import Area, EventKind, EventStatus, ProgrammeKind, Side
from omskevents.events.models import Delegation, Event, ProgrammeItem, Venue

from .enums import CLOSED_STATUSES, DeadlineAnchor, ExtensionStatus, Priority, TaskSource, TaskStatus
from .models import Attachment, ExtensionRequest, ProgressReport, Task, TaskComment
from .services import (
    extension_decide,
    task_change_status,
    task_create,
    task_create_from_decision,
    task_report_progress,
    task_request_extension,
    task_update,
)

# Demo accounts only, printed by the command for people trying the app; never a production credential.
DEMO_PASSWORD = "omsk2026"  # noqa: S105
OMSK = zoneinfo.ZoneInfo("Asia/Omsk")
FORUM_LEAD_DAYS = 42
GENERATED_PREFIX = "G-"

# ---------------------------------------------------------------------------------------------------------------
# Agencies: (short name, full name, English name, country, level, parent short name, e-mail)

AGENCIES: list[tuple[str, str, str, str, str, str | None, str]] = [
    ("МИД России", "Министерство иностранных дел Российской Федерации", "Ministry of Foreign Affairs of Russia",
     Country.RU, Level.FEDERAL, None, "info@mid.example"),
    ("МИД России ДСФ", "Департамент по связям с субъектами Федерации МИД России",
     "Department for Relations with the Subjects of the Federation, Russian MFA",
     Country.RU, Level.FEDERAL, "МИД России", "dsf@mid.example"),
    ("Минэкономразвития России", "Министерство экономического развития Российской Федерации",
     "Ministry of Economic Development of Russia", Country.RU, Level.FEDERAL, None, "info@economy.example"),
    ("Минэкономразвития ДСНГ", "Департамент экономического сотрудничества со странами СНГ Минэкономразвития России",
     "Department for Economic Cooperation with the CIS countries, Ministry of Economic Development",
     Country.RU, Level.FEDERAL, "Минэкономразвития России", "cis@economy.example"),
    ("Правительство Омской обл.", "Правительство Омской области", "Government of Omsk Oblast",
     Country.RU, Level.REGIONAL, None, "pravitelstvo@omskportal.example"),
    ("Минэкономики Омской обл.", "Министерство экономики Омской области", "Ministry of Economy of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "mec@omskportal.example"),
    ("Минсельхозпрод Омской обл.", "Министерство сельского хозяйства и продовольствия Омской области",
     "Ministry of Agriculture and Food of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "mcx@omskportal.example"),
    ("Минтранс Омской обл.", "Министерство транспорта и дорожного хозяйства Омской области",
     "Ministry of Transport and Roads of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "mintrans@omskportal.example"),
    ("Минпром Омской обл.", "Министерство промышленности и научно-технического развития Омской области",
     "Ministry of Industry of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "minprom@omskportal.example"),
    ("Минкультуры Омской обл.", "Министерство культуры Омской области", "Ministry of Culture of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "mkultura@omskportal.example"),
    ("Минобразования Омской обл.", "Министерство образования Омской области",
     "Ministry of Education of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "obr@omskportal.example"),
    ("Минздрав Омской обл.", "Министерство здравоохранения Омской области", "Ministry of Health of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "minzdrav@omskportal.example"),
    ("Минмолодёжи Омской обл.", "Министерство по делам молодёжи, физической культуры и спорта Омской области",
     "Ministry of Youth and Sport of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "molod@omskportal.example"),
    ("ГУ региональной безопасности", "Главное управление региональной безопасности Омской области",
     "Regional Security Directorate of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "gurb@omskportal.example"),
    ("Управление международных связей", "Управление международных связей Правительства Омской области",
     "International Relations Office of the Government of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "ums@omskportal.example"),
    ("Пресс-служба Губернатора", "Управление пресс-службы Губернатора и Правительства Омской области",
     "Press Office of the Governor and Government of Omsk Oblast",
     Country.RU, Level.REGIONAL, "Правительство Омской обл.", "press@omskportal.example"),
    ("Администрация г. Омска", "Администрация города Омска", "Omsk City Administration",
     Country.RU, Level.MUNICIPAL, None, "admin@admomsk.example"),
    ("ОмГУ", "Омский государственный университет им. Ф. М. Достоевского", "Dostoevsky Omsk State University",
     Country.RU, Level.FEDERAL, None, "international@omsu.example"),
    ("Акимат Павлодарской обл.", "Акимат Павлодарской области", "Akimat of Pavlodar Region",
     Country.KZ, Level.FOREIGN, None, "akimat@pavlodar.example"),
    ("Акимат СКО", "Акимат Северо-Казахстанской области", "Akimat of North Kazakhstan Region",
     Country.KZ, Level.FOREIGN, None, "akimat@sko.example"),
    ("Минторговли и интеграции РК", "Министерство торговли и интеграции Республики Казахстан",
     "Ministry of Trade and Integration of the Republic of Kazakhstan",
     Country.KZ, Level.FOREIGN, None, "info@mti.example"),
]  # fmt: skip
# A federal university in Omsk: the rule for federal agencies (Moscow) does not fit it.
AGENCY_TIME_ZONES = {"ОмГУ": "Asia/Omsk"}

# ---------------------------------------------------------------------------------------------------------------
# People: username -> (last, first, patronymic, position, agency, role, time zone, e-mail, heads the agency)


@dataclass(frozen=True)
class Person:
    username: str
    last_name: str
    first_name: str
    patronymic: str
    position: str
    agency: str | None
    role: str
    time_zone: str
    email: str
    heads_agency: bool = False
    is_demo: bool = False


PEOPLE: list[Person] = [
    # The five demo accounts of the README.
    Person("secretariat", "Соколова", "Анна", "Викторовна",
           "Ответственный секретарь оргкомитета", "Управление международных связей", Role.SECRETARIAT,
           "Asia/Omsk", "secretariat@omskportal.example", is_demo=True),
    Person("mfa", "Лебедев", "Андрей", "Сергеевич", "Советник Департамента по связям с субъектами Федерации",
           "МИД России ДСФ", Role.AGENCY_STAFF, "Europe/Moscow", "mfa@mid.example", is_demo=True),
    Person("minek", "Орлова", "Мария", "Игоревна",
           "Заместитель начальника отдела Департамента экономического сотрудничества со странами СНГ",
           "Минэкономразвития ДСНГ", Role.AGENCY_STAFF, "Europe/Moscow", "minek@economy.example", is_demo=True),
    Person("omsk-transport", "Кузнецов", "Дмитрий", "Олегович", "Начальник отдела внутреннего водного транспорта",
           "Минтранс Омской обл.", Role.AGENCY_STAFF, "Asia/Omsk", "transport@omskportal.example", is_demo=True),
    Person("kz-pavlodar", "Жумабаев", "Ерлан", "Маратович", "Главный специалист отдела внешних связей",
           "Акимат Павлодарской обл.", Role.AGENCY_STAFF, "Asia/Almaty", "kz-pavlodar@pavlodar.example",
           is_demo=True),
    # Heads of agencies and the committee's leadership.
    Person("khotsenko", "Хоценко", "Виталий", "Павлович", "Губернатор Омской области",
           "Правительство Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "governor@omskportal.example", True),
    Person("deputy-chair", "Дорофеев", "Алексей", "Викторович",
           "Первый заместитель Председателя Правительства Омской области", "Правительство Омской обл.",
           Role.AGENCY_STAFF, "Asia/Omsk", "deputy@omskportal.example"),
    Person("kapyrin", "Капырин", "Игорь", "Вячеславович",
           "Директор Департамента по связям с субъектами Федерации МИД России", "МИД России ДСФ",
           Role.AGENCY_HEAD, "Europe/Moscow", "director.dsf@mid.example", True),
    Person("head-cis", "Волков", "Павел", "Андреевич",
           "Директор Департамента экономического сотрудничества со странами СНГ", "Минэкономразвития ДСНГ",
           Role.AGENCY_HEAD, "Europe/Moscow", "director.cis@economy.example", True),
    Person("head-economy", "Миронов", "Константин", "Юрьевич", "Министр экономики Омской области",
           "Минэкономики Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "minister@mec.omskportal.example", True),
    Person("head-agro", "Белов", "Николай", "Васильевич",
           "Министр сельского хозяйства и продовольствия Омской области", "Минсельхозпрод Омской обл.",
           Role.AGENCY_HEAD, "Asia/Omsk", "minister@mcx.omskportal.example", True),
    Person("head-transport", "Ткаченко", "Виктор", "Александрович",
           "Министр транспорта и дорожного хозяйства Омской области", "Минтранс Омской обл.",
           Role.AGENCY_HEAD, "Asia/Omsk", "minister@mintrans.omskportal.example", True),
    Person("head-industry", "Фролов", "Артём", "Игоревич", "Министр промышленности Омской области",
           "Минпром Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "minister@minprom.omskportal.example", True),
    Person("head-culture", "Романова", "Елена", "Сергеевна", "Министр культуры Омской области",
           "Минкультуры Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "minister@mkultura.omskportal.example", True),
    Person("head-education", "Медведева", "Татьяна", "Николаевна", "Министр образования Омской области",
           "Минобразования Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "minister@obr.omskportal.example", True),
    Person("head-health", "Зайцев", "Михаил", "Андреевич", "Министр здравоохранения Омской области",
           "Минздрав Омской обл.", Role.AGENCY_HEAD, "Asia/Omsk", "minister@minzdrav.omskportal.example", True),
    Person("head-youth", "Егоров", "Денис", "Валерьевич",
           "Министр по делам молодёжи, физической культуры и спорта Омской области", "Минмолодёжи Омской обл.",
           Role.AGENCY_HEAD, "Asia/Omsk", "minister@molod.omskportal.example", True),
    Person("head-security", "Крылов", "Геннадий", "Борисович",
           "Начальник Главного управления региональной безопасности Омской области", "ГУ региональной безопасности",
           Role.AGENCY_HEAD, "Asia/Omsk", "head@gurb.omskportal.example", True),
    Person("head-intl", "Полякова", "Ирина", "Владимировна",
           "Начальник Управления международных связей Правительства Омской области",
           "Управление международных связей", Role.AGENCY_HEAD, "Asia/Omsk", "head@ums.omskportal.example", True),
    Person("head-press", "Никитина", "Ольга", "Павловна", "Начальник Управления пресс-службы Губернатора",
           "Пресс-служба Губернатора", Role.AGENCY_HEAD, "Asia/Omsk", "head@press.omskportal.example", True),
    Person("head-city", "Гусев", "Роман", "Евгеньевич", "Первый заместитель Мэра города Омска",
           "Администрация г. Омска", Role.AGENCY_HEAD, "Asia/Omsk", "deputy.mayor@admomsk.example", True),
    Person("head-omsu", "Сергеева", "Наталья", "Александровна", "Проректор по международной деятельности ОмГУ",
           "ОмГУ", Role.AGENCY_HEAD, "Asia/Omsk", "prorector@omsu.example", True),
    Person("head-pavlodar", "Каримов", "Нурлан", "Серикович", "Заместитель акима Павлодарской области",
           "Акимат Павлодарской обл.", Role.AGENCY_HEAD, "Asia/Almaty", "deputy.akim@pavlodar.example", True),
    Person("head-sko", "Ахметова", "Айгуль", "Бауыржановна", "Заместитель акима Северо-Казахстанской области",
           "Акимат СКО", Role.AGENCY_HEAD, "Asia/Almaty", "deputy.akim@sko.example", True),
    Person("head-kz-trade", "Сейткали", "Данияр", "Ерланович", "Вице-министр торговли и интеграции",
           "Минторговли и интеграции РК", Role.AGENCY_HEAD, "Asia/Almaty", "vice.minister@mti.example", True),
]  # fmt: skip

# Who writes the reports for an agency: its demo account where there is one, otherwise its head.
REPORTERS = {
    "МИД России ДСФ": "mfa",
    "Минэкономразвития ДСНГ": "minek",
    "Минтранс Омской обл.": "omsk-transport",
    "Акимат Павлодарской обл.": "kz-pavlodar",
}

COMMITTEE_NAME = (
    "Организационный комитет по подготовке XXII Форума межрегионального сотрудничества России и Казахстана "
    "и 27-го заседания Межправительственной комиссии"
)
COMMITTEE_ROLES = {
    "khotsenko": MemberRole.CHAIR,
    "deputy-chair": MemberRole.DEPUTY_CHAIR,
    "head-cis": MemberRole.DEPUTY_CHAIR,
    "secretariat": MemberRole.SECRETARY,
}
COMMITTEE_MEMBERS = [
    "kapyrin",
    "head-economy",
    "head-agro",
    "head-transport",
    "head-industry",
    "head-culture",
    "head-education",
    "head-health",
    "head-youth",
    "head-security",
    "head-intl",
    "head-press",
    "head-city",
    "head-omsu",
    "mfa",
    "minek",
]

# kind -> (name, lead, members)
WORKING_GROUPS: dict[str, tuple[str, str, list[str]]] = {
    WorkingGroupKind.PROGRAMME: ("Рабочая группа по деловой программе", "head-economy",
                                 ["minek", "head-cis", "head-industry", "head-agro", "head-education"]),
    WorkingGroupKind.LOGISTICS: ("Рабочая группа по логистике и транспорту", "head-transport",
                                 ["omsk-transport", "head-city"]),
    WorkingGroupKind.PROTOCOL: ("Рабочая группа по протоколу", "head-intl", ["mfa", "secretariat", "kapyrin"]),
    WorkingGroupKind.SECURITY: ("Рабочая группа по безопасности", "head-security", ["head-health", "head-city"]),
    WorkingGroupKind.MEDIA: ("Рабочая группа по информационному сопровождению", "head-press", ["head-culture"]),
    WorkingGroupKind.ACCOMMODATION: ("Рабочая группа по размещению участников", "head-city",
                                     ["head-economy", "head-transport"]),
}  # fmt: skip

# name -> (address, capacity)
VENUES: dict[str, tuple[str, int | None]] = {
    "Конгресс-холл": ("г. Омск, ул. Ленина", 1500),
    "Правительство Омской области": ("г. Омск, ул. Красный Путь, 1", 120),
    "Омский государственный университет им. Ф. М. Достоевского": ("г. Омск, пр. Мира, 55а", 600),
    "Омский государственный аграрный университет им. П. А. Столыпина": ("г. Омск, Институтская пл., 1", 400),
    "Речной вокзал, набережная Иртыша": ("г. Омск, Иртышская набережная", 200),
    "Омский академический театр драмы": ("г. Омск, ул. Ленина, 8а", 700),
}

# ---------------------------------------------------------------------------------------------------------------
# The action plan. `due` is days from today; `story` is where the task is now:
#   new        assigned, nothing reported
#   started    in progress, taken up without a report
#   progress   in progress with a progress report
#   reported   a report of completion awaits the controller
#   accepted   removed from control
#   returned   returned for rework with the controller's note
#   cancelled  withdrawn by the secretariat


@dataclass(frozen=True)
class TaskSpec:
    number: str
    area: str
    title: str
    lead: str
    due: int
    story: str = "new"
    co: tuple[str, ...] = ()
    priority: str = Priority.NORMAL
    group: str | None = None
    event: str = EventKind.FORUM
    parent: str | None = None
    depends: tuple[str, ...] = ()
    follow_up: bool = False
    anchor_days: int | None = None
    decision: tuple[int, str] | None = None
    note: str = ""
    pdf: bool = False
    extension: str = ""  # "pending", "approved" or "rejected"


A = Area
F, C = EventKind.FORUM, EventKind.COMMISSION
WG = WorkingGroupKind
HIGH, CRIT, LOW = Priority.HIGH, Priority.CRITICAL, Priority.LOW
MINEC, AGRO, TRANS, IND = (
    "Минэкономики Омской обл.",
    "Минсельхозпрод Омской обл.",
    "Минтранс Омской обл.",
    "Минпром Омской обл.",
)
CULT, EDU, HEALTH, YOUTH = (
    "Минкультуры Омской обл.",
    "Минобразования Омской обл.",
    "Минздрав Омской обл.",
    "Минмолодёжи Омской обл.",
)
SEC, UMS, PRESS, CITY, OMSU = (
    "ГУ региональной безопасности",
    "Управление международных связей",
    "Пресс-служба Губернатора",
    "Администрация г. Омска",
    "ОмГУ",
)
DSF, CIS, PAV, SKO, MTI = (
    "МИД России ДСФ",
    "Минэкономразвития ДСНГ",
    "Акимат Павлодарской обл.",
    "Акимат СКО",
    "Минторговли и интеграции РК",
)

TASKS: list[TaskSpec] = [
    # 1. Organisation of the Forum
    TaskSpec("1.1", A.ORGANISATION, "Утвердить концепцию и деловую программу XXII Форума", MINEC, -35, "accepted",
             (CIS, UMS), HIGH, WG.PROGRAMME),
    TaskSpec("1.2", A.ORGANISATION, "Согласовать с казахстанской стороной даты и формат проведения Форума", DSF,
             -40, "accepted", (UMS, MTI), CRIT, WG.PROTOCOL),
    TaskSpec("1.3", A.ORGANISATION, "Сформировать смету расходов на организацию и проведение Форума", MINEC, -20,
             "reported", pdf=True, group=WG.PROGRAMME),
    TaskSpec("1.4", A.ORGANISATION, "Обеспечить бронирование гостиниц для участников Форума (не менее 600 мест)",
             CITY, 10, "progress", (MINEC,), HIGH, WG.ACCOMMODATION, decision=(2, "2")),
    TaskSpec("1.5", A.ORGANISATION, "Организовать транспортное обслуживание делегаций: встреча в аэропорту, "
             "трансферы, резервный транспорт", TRANS, 25, "progress", (CITY, SEC), HIGH, WG.LOGISTICS),
    TaskSpec("1.6", A.ORGANISATION, "Разработать план обеспечения безопасности и общественного порядка в местах "
             "проведения мероприятий Форума", SEC, 20, "started", (CITY,), CRIT, WG.SECURITY, decision=(1, "5")),
    TaskSpec("1.7", A.ORGANISATION, "Организовать медицинское обеспечение мероприятий Форума", HEALTH, 28, "new",
             (SEC,), group=WG.SECURITY),
    TaskSpec("1.8", A.ORGANISATION, "Подготовить план информационного сопровождения Форума и порядок аккредитации "
             "СМИ", PRESS, -5, "returned", (UMS,), group=WG.MEDIA,
             note="Возвращено на доработку: не учтены казахстанские СМИ и график пресс-подходов."),
    TaskSpec("1.9", A.ORGANISATION, "Разработать фирменный стиль Форума и изготовить полиграфическую продукцию",
             PRESS, 12, "progress", (CULT,), group=WG.MEDIA),
    TaskSpec("1.10", A.ORGANISATION, "Подготовить протокольную схему встречи и проводов глав делегаций", UMS, 30,
             "new", (DSF,), HIGH, WG.PROTOCOL),
    TaskSpec("1.11", A.ORGANISATION, "Обеспечить техническое оснащение Конгресс-холла: синхронный перевод, "
             "видеотрансляция, связь", IND, 21, "new", (CITY,), group=WG.LOGISTICS),
    TaskSpec("1.12", A.ORGANISATION, "Сформировать списки участников и запустить систему регистрации", UMS, -3,
             "started", group=WG.PROGRAMME),
    TaskSpec("1.13", A.ORGANISATION, "Подготовить предложения по составу российской делегации", CIS, 7, "progress",
             (DSF,), HIGH, WG.PROTOCOL),
    TaskSpec("1.14", A.ORGANISATION, "Отобрать и подготовить волонтёров Форума (не менее 150 человек)", YOUTH, 14,
             "started", (OMSU,), group=WG.PROGRAMME),
    TaskSpec("1.15", A.ORGANISATION, "Организовать выездное заседание оргкомитета в г. Павлодаре", UMS, -10,
             "cancelled", (PAV,), LOW, WG.PROTOCOL,
             note="Снято: вопросы рассмотрены на заседании оргкомитета в режиме видеоконференции."),
    # 2. Irtysh logistics
    TaskSpec("2.1", A.IRTYSH_LOGISTICS, "Подготовить предложения по проекту межгосударственной программы развития "
             "реки Иртыш (Россия — Казахстан — Китай)", MINEC, 18, "progress", (CIS, DSF, TRANS), CRIT,
             WG.PROGRAMME, decision=(1, "4")),
    TaskSpec("2.1.1", A.IRTYSH_LOGISTICS, "Собрать данные о грузопотоках по Иртышу за 2023–2026 годы", TRANS, -12,
             "accepted", (PAV,), parent="2.1", group=WG.LOGISTICS),
    TaskSpec("2.1.2", A.IRTYSH_LOGISTICS, "Подготовить оценку потребности в дноуглубительных работах на участке "
             "Омск — государственная граница", TRANS, 5, "started", parent="2.1", depends=("2.1.1",),
             group=WG.LOGISTICS),
    TaskSpec("2.1.3", A.IRTYSH_LOGISTICS, "Согласовать позицию казахстанской стороны по проекту программы развития "
             "Иртыша", PAV, 14, "new", (MTI,), HIGH, parent="2.1"),
    TaskSpec("2.2", A.IRTYSH_LOGISTICS, "Подготовить доклад о состоянии судоходства на Иртыше для секции «Иртыш — "
             "транспортный коридор»", TRANS, 9, "new", group=WG.PROGRAMME),
    TaskSpec("2.3", A.IRTYSH_LOGISTICS, "Проработать организацию контейнерных перевозок по Иртышу на направлении "
             "Павлодар — Омск", TRANS, -7, "progress", (PAV, MINEC), HIGH, WG.LOGISTICS, decision=(1, "3"),
             extension="pending"),
    TaskSpec("2.4", A.IRTYSH_LOGISTICS, "Подготовить проект соглашения о сотрудничестве речных портов Омска и "
             "Павлодара", TRANS, 30, "new", (PAV,), depends=("2.3",)),
    TaskSpec("2.5", A.IRTYSH_LOGISTICS, "Подготовить презентацию логистического потенциала Омской области", MINEC,
             -2, "reported", group=WG.PROGRAMME),
    # 3. River tourism
    TaskSpec("3.1", A.RIVER_TOURISM, "Разработать совместный туристический маршрут «Иртыш: Омск — Павлодар»",
             MINEC, 20, "progress", (PAV, CULT)),
    TaskSpec("3.2", A.RIVER_TOURISM, "Подготовить круглый стол «Речной туризм на Иртыше»", CULT, 25, "new", (SKO,),
             group=WG.PROGRAMME),
    TaskSpec("3.3", A.RIVER_TOURISM, "Провести инвентаризацию причалов и речных вокзалов для приёма туристических "
             "судов", CITY, -15, "accepted", (TRANS,)),
    TaskSpec("3.4", A.RIVER_TOURISM, "Подготовить предложения о поддержке туристических речных рейсов", MINEC, -4,
             "returned", note="Возвращено на доработку: нужен расчёт объёма поддержки и источники финансирования."),
    TaskSpec("3.5", A.RIVER_TOURISM, "Подготовить экспозицию «Туристический потенциал Прииртышья» для выставки",
             CULT, 35, "new", (PAV,)),
    # 4. Border infrastructure
    TaskSpec("4.1", A.BORDER_INFRASTRUCTURE, "Подготовить информацию о загрузке автомобильных пунктов пропуска на "
             "российско-казахстанской границе в Омской области", SEC, -25, "accepted", (TRANS,)),
    TaskSpec("4.2", A.BORDER_INFRASTRUCTURE, "Подготовить предложения по реконструкции МАПП «Исилькуль»", TRANS, -6,
             "new", (CIS,), HIGH),
    TaskSpec("4.3", A.BORDER_INFRASTRUCTURE, "Проработать открытие регулярного автобусного сообщения Омск — "
             "Петропавловск", TRANS, -3, "progress", (SKO,), extension="approved"),
    TaskSpec("4.4", A.BORDER_INFRASTRUCTURE, "Подготовить материалы к секции «Приграничное сотрудничество и "
             "инфраструктура»", DSF, 16, "started", (MINEC,), group=WG.PROGRAMME),
    TaskSpec("4.5", A.BORDER_INFRASTRUCTURE, "Согласовать перечень приграничных районов — участников Форума", SKO, 8,
             "new", (UMS,)),
    TaskSpec("4.6", A.BORDER_INFRASTRUCTURE, "Подготовить обзор работы пунктов пропуска в зимний период", SEC, -18,
             "reported"),
    # 5. Agriculture and seed production
    TaskSpec("5.1", A.AGRICULTURE, "Подготовить проект соглашения о сотрудничестве в области семеноводства между "
             "Омской и Павлодарской областями", AGRO, 10, "progress", (PAV,), HIGH, decision=(2, "3"),
             extension="pending"),
    TaskSpec("5.2", A.AGRICULTURE, "Подготовить выставочную экспозицию сельхозпроизводителей Омской области", AGRO,
             33, "new"),
    TaskSpec("5.3", A.AGRICULTURE, "Провести анализ поставок сельхозпродукции в Республику Казахстан за 2025–2026 "
             "годы", AGRO, -30, "accepted", (MINEC,)),
    TaskSpec("5.4", A.AGRICULTURE, "Сформировать перечень омских селекционных достижений для казахстанских "
             "партнёров", AGRO, -9, "started"),
    TaskSpec("5.5", A.AGRICULTURE, "Организовать посещение участниками Форума селекционного центра", AGRO, 29, "new",
             (TRANS,)),
    TaskSpec("5.6", A.AGRICULTURE, "Подготовить доклад для секции «Агропромышленное сотрудничество и "
             "семеноводство»", AGRO, 13, "new", (MTI,), group=WG.PROGRAMME),
    TaskSpec("5.7", A.AGRICULTURE, "Проработать вопросы ветеринарно-санитарного контроля при экспорте зерна", AGRO,
             -1, "returned", (CIS,), note="Возвращено на доработку: приложите позицию Россельхознадзора."),
    # 6. Machine building
    TaskSpec("6.1", A.MACHINE_BUILDING, "Сформировать перечень машиностроительных предприятий для участия в деловой "
             "программе и выставке", IND, -22, "accepted"),
    TaskSpec("6.2", A.MACHINE_BUILDING, "Подготовить предложения по кооперации в производстве сельхозтехники с "
             "казахстанскими предприятиями", IND, 19, "progress", (AGRO, MTI)),
    TaskSpec("6.3", A.MACHINE_BUILDING, "Организовать B2B-встречи омских и казахстанских машиностроительных "
             "предприятий", IND, 26, "new", (MINEC,), group=WG.PROGRAMME),
    TaskSpec("6.4", A.MACHINE_BUILDING, "Подготовить справку о предприятиях с участием казахстанского капитала "
             "(около 120)", MINEC, -11, "reported", pdf=True),
    TaskSpec("6.5", A.MACHINE_BUILDING, "Проработать создание совместного сервисного центра сельхозтехники", IND,
             38, "new", (PAV,), LOW),
    # 7. Petrochemicals
    TaskSpec("7.1", A.PETROCHEMICALS, "Подготовить материалы к секции «Нефтехимия и глубокая переработка»", IND, 15,
             "started", (MINEC,), group=WG.PROGRAMME),
    TaskSpec("7.2", A.PETROCHEMICALS, "Проанализировать спрос на продукцию омской нефтехимии в Республике "
             "Казахстан", MINEC, -14, "accepted", (MTI,)),
    TaskSpec("7.3", A.PETROCHEMICALS, "Согласовать участие нефтехимических предприятий в выставке", IND, 6,
             "progress"),
    TaskSpec("7.4", A.PETROCHEMICALS, "Подготовить предложения по подготовке кадров для нефтехимии совместно с "
             "вузами Павлодара", EDU, 22, "new", (OMSU, PAV)),
    # 8. Education and student exchange
    TaskSpec("8.1", A.EDUCATION, "Подготовить сведения об обучении студентов из Казахстана в омских вузах (более "
             "7 000 человек)", EDU, -28, "accepted", (OMSU,)),
    TaskSpec("8.2", A.EDUCATION, "Организовать форум ректоров вузов Омской области и приграничных областей "
             "Казахстана", EDU, 11, "progress", (OMSU, SKO), HIGH),
    TaskSpec("8.3", A.EDUCATION, "Подготовить проект соглашения об академической мобильности студентов", OMSU, 17,
             "new", (EDU,)),
    TaskSpec("8.4", A.EDUCATION, "Провести ярмарку образовательных программ для абитуриентов из Казахстана", EDU, -8,
             "started", extension="rejected"),
    TaskSpec("8.5", A.EDUCATION, "Подготовить предложения по квотам приёма абитуриентов из Казахстана", EDU, 3,
             "reported", (DSF,)),
    # 9. Youth and culture
    TaskSpec("9.1", A.YOUTH_CULTURE, "Подготовить программу Молодёжного форума России и Казахстана", YOUTH, 9,
             "progress", (OMSU, PAV), group=WG.PROGRAMME),
    TaskSpec("9.2", A.YOUTH_CULTURE, "Подготовить концерт мастеров искусств России и Казахстана в Омском "
             "академическом театре драмы", CULT, 24, "started"),
    TaskSpec("9.3", A.YOUTH_CULTURE, "Организовать выставку декоративно-прикладного искусства народов России и "
             "Казахстана", CULT, 31, "new", (SKO,)),
    TaskSpec("9.4", A.YOUTH_CULTURE, "Провести соревнования молодёжи приграничных регионов по мини-футболу", YOUTH,
             -16, "accepted"),
    TaskSpec("9.5", A.YOUTH_CULTURE, "Подготовить экскурсионную программу для сопровождающих лиц", CULT, 4, "new",
             (CITY,)),
    TaskSpec("9.6", A.YOUTH_CULTURE, "Организовать встречу с национально-культурными объединениями казахов Омской "
             "области", CULT, -3, "reported"),
    # 10. After the Forum
    TaskSpec("10.1", A.ORGANISATION, "Подготовить доклад об итогах Форума и план реализации достигнутых "
             "договорённостей", MINEC, 30, "new", (UMS, CIS), follow_up=True),
    TaskSpec("10.2", A.ORGANISATION, "Разместить итоговые материалы Форума в СМИ и на официальных порталах", PRESS,
             7, "new", follow_up=True, group=WG.MEDIA),
    # The 27th commission session
    TaskSpec("1.1", A.ORGANISATION, "Подготовить проект протокола 27-го заседания Межправительственной комиссии",
             CIS, 20, "progress", (DSF, MTI), CRIT, event=C),
    TaskSpec("1.2", A.ORGANISATION, "Согласовать повестку дня 27-го заседания с казахстанской стороной", CIS, -10,
             "accepted", (MTI,), HIGH, event=C),
    TaskSpec("1.3", A.ORGANISATION, "Подготовить информацию Омской области о выполнении решений 26-го заседания "
             "Межправкомиссии", MINEC, -5, "started", event=C),
    TaskSpec("1.4", A.ORGANISATION, "Подготовить зал заседаний и протокольное обеспечение заседания "
             "Межправкомиссии", UMS, 27, "new", (DSF,), event=C, group=WG.PROTOCOL),
    TaskSpec("1.5", A.IRTYSH_LOGISTICS, "Подготовить предложения в проект протокола по транспортной логистике на "
             "Иртыше", TRANS, 2, "progress", (CIS,), event=C),
    TaskSpec("1.6", A.ORGANISATION, "Представить предложения казахстанской стороны по вопросам взаимной торговли",
             MTI, 12, "new", (PAV, SKO), event=C),
    TaskSpec("1.7", A.ORGANISATION, "Обеспечить трансфер членов Межправительственной комиссии", TRANS, 0, "new",
             event=C, anchor_days=-5, group=WG.LOGISTICS),
]  # fmt: skip

# meeting number -> decisions: (number, text, lead, co-executors, days from today or None)
DECISIONS: dict[int, list[tuple[str, str, str | None, tuple[str, ...], int | None]]] = {
    1: [
        ("1", "Принять к сведению информацию Министерства экономики Омской области о ходе подготовки XXII Форума.",
         None, (), None),
        ("2", "Одобрить проект плана мероприятий по подготовке XXII Форума и 27-го заседания Межправительственной "
         "комиссии.", None, (), None),
        # A decision that became a task takes its text, executors and deadline from the task's line below.
        ("3", "", None, (), None),
        ("4", "", None, (), None),
        ("5", "", None, (), None),
        ("6", "Министерству здравоохранения Омской области представить предложения по санитарно-эпидемиологическому "
         "обеспечению Форума.", HEALTH, (SEC,), 16),
    ],
    2: [
        ("1", "Принять к сведению доклад Министерства транспорта и дорожного хозяйства Омской области о "
         "транспортном обслуживании делегаций.", None, (), None),
        ("2", "", None, (), None),
        ("3", "", None, (), None),
        ("4", "Управлению пресс-службы Губернатора доработать план информационного сопровождения с учётом "
         "казахстанских СМИ.", PRESS, (UMS,), 6),
        ("5", "Провести очередное заседание оргкомитета не позднее чем за месяц до начала Форума.", None, (), None),
    ],
}  # fmt: skip


@dataclass
class SeedReport:
    """What a run created, by kind, and the demo accounts to print."""

    created: dict[str, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def add(self, kind: str, count: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + count


# ---------------------------------------------------------------------------------------------------------------
# Building blocks


def minimal_pdf(title: str) -> bytes:
    """A valid one-page PDF (ASCII text only: the standard fonts know no Cyrillic) with a correct xref table."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def fit_deadline(country: str, wanted: dt.date, latest: dt.date | None) -> dt.date:
    """The first working day on or after `wanted`; if that falls after `latest`, the last working day before it."""
    day = next_working_day(country, wanted)
    if latest is None or day <= latest:
        return day
    day = latest
    while not is_working_day(country, day):
        day -= dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=OMSK)


def _seed_calendar(today: dt.date, report: SeedReport) -> None:
    """Seed the working calendar once per country and year; later corrections by hand are kept."""
    for country in (Country.RU, Country.KZ):
        for year in (today.year, today.year + 1):
            seeded = CalendarDay.objects.filter(
                country=country, date__year=year, source=CalendarSource.HOLIDAYS
            ).exists()
            if not seeded:
                report.add("calendar days", calendar_seed(countries=[country], years=[year]))


def _seed_agencies(report: SeedReport) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for short, name, name_en, country, level, parent, email in AGENCIES:
        agency = Agency.objects.filter(short_name=short).first()
        if agency is None:
            agency = Agency(
                short_name=short,
                name=name,
                name_en=name_en,
                country=country,
                level=level,
                email=email,
                parent=agencies[parent] if parent else None,
                time_zone=AGENCY_TIME_ZONES.get(short, ""),
            )
            agency.full_clean()
            agency.save()
            report.add("agencies")
        agencies[short] = agency
    return agencies


def _seed_people(agencies: dict[str, Agency], report: SeedReport) -> dict[str, User]:
    users: dict[str, User] = {}
    # One hash for all: the demo accounts share the password, and a strong hasher takes a noticeable
    # fraction of a second per call.
    hashed: str | None = None
    for person in PEOPLE:
        user = User.objects.filter(username=person.username).first()
        if user is None:
            user = User(
                username=person.username,
                last_name=person.last_name,
                first_name=person.first_name,
                patronymic=person.patronymic,
                position=person.position,
                agency=agencies[person.agency] if person.agency else None,
                role=person.role,
                time_zone=person.time_zone,
                email=person.email,
                language="ru",
                is_staff=True,
            )
            # Demo accounts share one short password on purpose, so the validators are not asked.
            if hashed is None:
                user.set_password(DEMO_PASSWORD)
                hashed = user.password
            user.password = hashed
            user.full_clean(exclude=["password"])
            user.save()
            report.add("users")
            if person.heads_agency and person.agency:
                agency = agencies[person.agency]
                if agency.head_id is None:
                    agency.head = user
                    agency.save(update_fields=["head", "updated"])
        users[person.username] = user
    return users


def _seed_venues(report: SeedReport) -> dict[str, Venue]:
    venues = {}
    for name, (address, capacity) in VENUES.items():
        venue, created = Venue.objects.get_or_create(name=name, defaults={"address": address, "capacity": capacity})
        report.add("venues", int(created))
        venues[name] = venue
    return venues


def _seed_events(forum_start: dt.date, report: SeedReport) -> tuple[Event, Event]:
    forum, created = Event.objects.get_or_create(
        kind=EventKind.FORUM,
        number="XXII",
        defaults={
            "title_ru": "XXII Форум межрегионального сотрудничества России и Казахстана",
            "title_en": "XXII Forum of Interregional Cooperation of Russia and Kazakhstan",
            "short_title": "XXII Форум",
            "start_date": forum_start,
            "end_date": forum_start + dt.timedelta(days=1),
            "status": EventStatus.PREPARING,
            "description": (
                "Ежегодный форум глав приграничных регионов России и Казахстана. Казахстан — ключевой "
                "внешнеэкономический партнёр Омской области: около 30 % внешнеторгового оборота региона, около 120 "
                "предприятий с участием казахстанского капитала, более 7 000 студентов из Казахстана в омских вузах. "
                "В программе: пленарное заседание, тематические секции и круглые столы, выставка, подписание "
                "соглашений, двусторонние встречи, молодёжная и культурная программы."
            ),
        },
    )
    report.add("events", int(created))
    if not created and forum.start_date != forum_start:
        report.notices.append(
            f"The Forum already exists ({forum.start_date:%d.%m.%Y}–{forum.end_date:%d.%m.%Y}); its dates are left "
            "as they are."
        )
    session, created = Event.objects.get_or_create(
        kind=EventKind.COMMISSION,
        number="27",
        defaults={
            "title_ru": "27-е заседание Межправительственной комиссии по сотрудничеству между Российской Федерацией "
            "и Республикой Казахстан",
            "title_en": "27th session of the Russia–Kazakhstan Intergovernmental Commission on Cooperation",
            "short_title": "27-е заседание МПК",
            "start_date": forum.start_date,
            "end_date": forum.start_date,
            "status": EventStatus.PREPARING,
            "description": "Заседание проходит в первый день XXII Форума.",
        },
    )
    report.add("events", int(created))
    return forum, session


def _seed_programme(forum: Event, session: Event, venues: dict[str, Venue], report: SeedReport) -> None:
    day1, day2 = forum.start_date, forum.end_date
    hall, gov, omsu = (
        venues["Конгресс-холл"],
        venues["Правительство Омской области"],
        venues["Омский государственный университет им. Ф. М. Достоевского"],
    )
    agro, river, drama = (
        venues["Омский государственный аграрный университет им. П. А. Столыпина"],
        venues["Речной вокзал, набережная Иртыша"],
        venues["Омский академический театр драмы"],
    )
    P = ProgrammeKind
    items: list[tuple[Event, str, str, str, dt.datetime, dt.datetime, Venue, str]] = [
        (
            forum,
            P.EXHIBITION,
            "",
            "Выставка «Россия — Казахстан: потенциал межрегионального сотрудничества»",
            _at(day1, 9),
            _at(day2, 18),
            hall,
            "",
        ),
        (
            forum,
            P.SECTION,
            A.IRTYSH_LOGISTICS,
            "Секция «Иртыш — транспортный коридор: логистика и инфраструктура»",
            _at(day1, 10),
            _at(day1, 13),
            hall,
            "Министр транспорта и дорожного хозяйства Омской области",
        ),
        (
            forum,
            P.SECTION,
            A.AGRICULTURE,
            "Секция «Агропромышленное сотрудничество и семеноводство»",
            _at(day1, 10),
            _at(day1, 13),
            agro,
            "Министр сельского хозяйства и продовольствия Омской области",
        ),
        (
            forum,
            P.SECTION,
            A.EDUCATION,
            "Секция «Образование без границ: академическая мобильность»",
            _at(day1, 11),
            _at(day1, 13),
            omsu,
            "Проректор по международной деятельности ОмГУ",
        ),
        (
            forum,
            P.SECTION,
            A.MACHINE_BUILDING,
            "Секция «Промышленная кооперация: машиностроение и нефтехимия»",
            _at(day1, 14),
            _at(day1, 17),
            hall,
            "Министр промышленности Омской области",
        ),
        (
            forum,
            P.ROUND_TABLE,
            A.RIVER_TOURISM,
            "Круглый стол «Речной туризм на Иртыше»",
            _at(day1, 14),
            _at(day1, 16),
            river,
            "",
        ),
        (
            forum,
            P.ROUND_TABLE,
            A.BORDER_INFRASTRUCTURE,
            "Круглый стол «Приграничная инфраструктура и пункты пропуска»",
            _at(day1, 14),
            _at(day1, 16, 30),
            gov,
            "",
        ),
        (
            forum,
            P.YOUTH,
            A.YOUTH_CULTURE,
            "Молодёжный форум России и Казахстана",
            _at(day1, 15),
            _at(day1, 18),
            omsu,
            "",
        ),
        (
            forum,
            P.CULTURAL,
            A.YOUTH_CULTURE,
            "Концерт мастеров искусств России и Казахстана",
            _at(day1, 19),
            _at(day1, 21),
            drama,
            "",
        ),
        (
            forum,
            P.BILATERAL,
            "",
            "Встреча Губернатора Омской области с акимом Павлодарской области",
            _at(day2, 9),
            _at(day2, 9, 45),
            gov,
            "",
        ),
        (
            forum,
            P.BILATERAL,
            "",
            "Встреча Губернатора Омской области с акимом Северо-Казахстанской области",
            _at(day2, 9, 45),
            _at(day2, 10, 30),
            gov,
            "",
        ),
        (
            forum,
            P.PLENARY,
            "",
            "Пленарное заседание XXII Форума межрегионального сотрудничества",
            _at(day2, 11),
            _at(day2, 13),
            hall,
            "",
        ),
        (
            forum,
            P.SIGNING,
            "",
            "Церемония подписания межрегиональных и коммерческих соглашений",
            _at(day2, 13),
            _at(day2, 13, 45),
            hall,
            "",
        ),
        (
            forum,
            P.CULTURAL,
            A.RIVER_TOURISM,
            "Экскурсия по исторической части Омска и набережной Иртыша",
            _at(day2, 15),
            _at(day2, 17),
            river,
            "",
        ),
        (
            session,
            P.PLENARY,
            "",
            "27-е заседание Межправительственной комиссии",
            _at(session.start_date, 10),
            _at(session.start_date, 12, 30),
            gov,
            "",
        ),
        (
            session,
            P.SIGNING,
            "",
            "Подписание протокола 27-го заседания Межправительственной комиссии",
            _at(session.start_date, 12, 30),
            _at(session.start_date, 13),
            gov,
            "",
        ),
    ]
    for event, kind, area, title, starts_at, ends_at, venue, moderator in items:
        if ProgrammeItem.objects.filter(event=event, title=title).exists():
            continue
        item = ProgrammeItem(
            event=event,
            kind=kind,
            area=area,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            venue=venue,
            moderator=moderator,
        )
        item.full_clean()
        item.save()
        report.add("programme items")
        event.venues.add(venue)


def _seed_delegations(forum: Event, session: Event, report: SeedReport) -> None:
    rows = [
        (forum, Side.RU, "Делегация Российской Федерации", "Федеральный министр (по согласованию)", 180, -1),
        (
            forum,
            Side.KZ,
            "Делегация Республики Казахстан",
            "Министр торговли и интеграции Республики Казахстан",
            150,
            -1,
        ),
        (forum, Side.KZ, "Делегация Павлодарской области", "Аким Павлодарской области", 45, -1),
        (forum, Side.KZ, "Делегация Северо-Казахстанской области", "Аким Северо-Казахстанской области", 40, -1),
        (
            session,
            Side.RU,
            "Российская часть Межправительственной комиссии",
            "Сопредседатель комиссии с российской стороны",
            25,
            -1,
        ),
        (
            session,
            Side.KZ,
            "Казахстанская часть Межправительственной комиссии",
            "Сопредседатель комиссии с казахстанской стороны",
            25,
            -1,
        ),
    ]
    for event, side, name, head, size, arrival_day in rows:
        _row, created = Delegation.objects.get_or_create(
            event=event,
            side=side,
            name=name,
            defaults={
                "head": head,
                "size": size,
                "arrival": _at(event.start_date + dt.timedelta(days=arrival_day), 16),
            },
        )
        report.add("delegations", int(created))


def _seed_committee(
    forum: Event, session: Event, users: dict[str, User], report: SeedReport
) -> tuple[Committee, dict[str, WorkingGroup]]:
    committee, created = Committee.objects.get_or_create(name=COMMITTEE_NAME)
    report.add("committees", int(created))
    committee.events.add(forum, session)
    for username in [*COMMITTEE_ROLES, *COMMITTEE_MEMBERS]:
        _member, created = CommitteeMember.objects.get_or_create(
            committee=committee,
            user=users[username],
            defaults={"role": COMMITTEE_ROLES.get(username, MemberRole.MEMBER)},
        )
        report.add("committee members", int(created))
    groups = {}
    for kind, (name, lead, members) in WORKING_GROUPS.items():
        group, created = WorkingGroup.objects.get_or_create(
            committee=committee, kind=kind, defaults={"name": name, "lead": users[lead]}
        )
        if created:
            group.members.add(users[lead], *(users[m] for m in members))
            report.add("working groups")
        groups[kind] = group
    return committee, groups


# ---------------------------------------------------------------------------------------------------------------
# Meetings and decisions


def _spec_event(spec: TaskSpec, forum: Event, session: Event) -> Event:
    return forum if spec.event == EventKind.FORUM else session


def _spec_deadline(spec: TaskSpec, event: Event, agencies: dict[str, Agency], today: dt.date) -> dt.date:
    """The spec's deadline as a working day of the lead's country, inside the event unless a follow-up."""
    country = calendar_country(agencies[spec.lead])
    if spec.anchor_days is not None:
        return fit_deadline(country, event.start_date + dt.timedelta(days=spec.anchor_days), event.end_date)
    if spec.follow_up:
        return fit_deadline(country, event.end_date + dt.timedelta(days=spec.due), None)
    return fit_deadline(country, today + dt.timedelta(days=spec.due), event.end_date)


MINUTES = {
    1: (
        "Заседание открыл Председатель оргкомитета, Губернатор Омской области В. П. Хоценко. Участники обсудили "
        "концепцию XXII Форума межрегионального сотрудничества России и Казахстана, формат 27-го заседания "
        "Межправительственной комиссии и проект плана мероприятий по подготовке. Особое внимание уделено "
        "сотрудничеству на Иртыше — логистике, туризму и инфраструктуре, а также проработке межгосударственной "
        "программы развития реки с участием России, Казахстана и Китая."
    ),
    2: (
        "Рассмотрен ход выполнения плана мероприятий. Министерство транспорта и дорожного хозяйства Омской области "
        "доложило о схеме транспортного обслуживания делегаций, Администрация города Омска — о готовности "
        "гостиничного фонда. Отмечено отставание по информационному сопровождению и по проекту соглашения в сфере "
        "семеноводства."
    ),
}
MEETING_AGENDA = {
    1: [("О концепции XXII Форума и 27-го заседания Межправительственной комиссии", "Миронов К. Ю."),
        ("О проекте плана мероприятий по подготовке", "Соколова А. В."),
        ("О развитии сотрудничества на Иртыше", "Ткаченко В. А.")],
    2: [("О ходе выполнения плана мероприятий", "Соколова А. В."),
        ("О транспортном обслуживании и размещении делегаций", "Ткаченко В. А., Гусев Р. Е."),
        ("О подготовке соглашения в сфере семеноводства", "Белов Н. В.")],
    3: [("О готовности площадок Форума", "Гусев Р. Е."),
        ("О программе пленарного заседания и церемонии подписания соглашений", "Полякова И. В."),
        ("О мерах безопасности в период проведения Форума", "Крылов Г. Б.")],
}  # fmt: skip


def _seed_meetings(
    committee: Committee,
    forum: Event,
    session: Event,
    agencies: dict[str, Agency],
    users: dict[str, User],
    today: dt.date,
    report: SeedReport,
) -> dict[tuple[int, str], Decision]:
    """Two past meetings with minutes and decisions (a past state, written directly) and one planned meeting."""
    chair, secretary = users["khotsenko"], users["secretariat"]
    invitees = [users[u] for u in [*COMMITTEE_ROLES, *COMMITTEE_MEMBERS]]
    task_specs = {spec.decision: spec for spec in TASKS if spec.decision}
    held = {
        1: (today - dt.timedelta(days=56), "Правительство Омской области, ул. Красный Путь, 1, зал заседаний", ""),
        2: (today - dt.timedelta(days=21), "", "https://vks.omskportal.example/orgcom-2"),
    }
    decisions: dict[tuple[int, str], Decision] = {}
    for number, (day, place, link) in held.items():
        meeting = Meeting.objects.filter(committee=committee, number=number).first()
        if meeting is None:
            day = fit_deadline(Country.RU, day, None)
            meeting = Meeting(
                committee=committee,
                number=number,
                title=f"Заседание оргкомитета № {number}",
                starts_at=_at(day, 15),
                ends_at=_at(day, 17),
                place=place,
                video_link=link,
                chair=chair,
                status=MeetingStatus.HELD,
                minutes=MINUTES[number],
            )
            meeting.full_clean()
            meeting.save()
            report.add("meetings")
            for order, (title, speaker) in enumerate(MEETING_AGENDA[number], start=1):
                AgendaItem.objects.create(meeting=meeting, order=order, title=title, speaker=speaker)
            for index, user in enumerate(invitees):
                # Most came; a few joined by video or could not.
                status = (
                    Attendance.ABSENT
                    if index % 9 == 8
                    else Attendance.REMOTE
                    if index % 4 == 3
                    else (Attendance.PRESENT)
                )
                MeetingAttendance.objects.create(meeting=meeting, user=user, status=status)
            for dnum, text, lead, co, due in DECISIONS[number]:
                spec = task_specs.get((number, dnum))
                deadline = None
                if spec is not None:
                    text, lead, co = spec.title, spec.lead, spec.co
                    deadline = _spec_deadline(spec, _spec_event(spec, forum, session), agencies, today)
                elif due is not None and lead is not None:
                    deadline = fit_deadline(
                        calendar_country(agencies[lead]), today + dt.timedelta(days=due), forum.end_date
                    )
                decision = Decision(
                    meeting=meeting,
                    number=dnum,
                    text=text,
                    lead_agency=agencies[lead] if lead else None,
                    deadline=deadline,
                )
                decision.full_clean()
                decision.save()
                decision.co_executors.set([agencies[a] for a in co])
                report.add("decisions")
        for decision in meeting.decisions.all():
            decisions[(number, decision.number)] = decision
    if not Meeting.objects.filter(committee=committee, number=3).exists():
        day = fit_deadline(Country.RU, today + dt.timedelta(days=9), None)
        meeting = meeting_create(
            actor=secretary,
            committee=committee,
            number=3,
            chair=chair,
            title="Заседание оргкомитета № 3",
            starts_at=_at(day, 15),
            ends_at=_at(day, 17),
            place="Правительство Омской области, ул. Красный Путь, 1, зал заседаний",
            invitees=invitees,
        )
        for title, speaker in MEETING_AGENDA[3]:
            agenda_item_add(actor=secretary, meeting=meeting, title=title, speaker=speaker)
        report.add("meetings")
    return decisions


# ---------------------------------------------------------------------------------------------------------------
# Tasks


def _reporter(spec: TaskSpec, users: dict[str, User]) -> User:
    username = REPORTERS.get(spec.lead) or next(p.username for p in PEOPLE if p.heads_agency and p.agency == spec.lead)
    return users[username]


def _report_text(spec: TaskSpec, final: bool) -> str:
    if final:
        return (
            "Поручение выполнено. Подготовленные материалы направлены в секретариат оргкомитета; "
            "итоговая справка приложена."
        )
    if spec.co:
        return "Проведено рабочее совещание с соисполнителями, подготовлен проект материалов, идёт согласование."
    return "Работа ведётся по графику: собраны исходные данные, готовится проект документа."


def _pdf_upload(spec: TaskSpec) -> SimpleUploadedFile:
    content = minimal_pdf(f"Omsk 2026 - progress report on task {spec.number}")
    return SimpleUploadedFile(f"spravka-{spec.number}.pdf", content, content_type="application/pdf")


def _play_story(
    spec: TaskSpec,
    task: Task,
    users: dict[str, User],
    event: Event,
    today: dt.date,
) -> None:
    """Move a new task to where the spec says it is now, through the workplan services."""
    secretary, executor = users["secretariat"], _reporter(spec, users)
    country = calendar_country(task.lead_agency)
    if spec.story == "started":
        task_change_status(actor=executor, task=task, status=TaskStatus.IN_PROGRESS)
    if spec.story in ("progress", "reported", "accepted", "returned"):
        task_report_progress(actor=executor, task=task, text=_report_text(spec, final=False))
    if spec.extension:
        task.refresh_from_db()
        new = fit_deadline(country, max(task.deadline, today) + dt.timedelta(days=12), event.end_date)
        request = task_request_extension(
            actor=executor,
            task=task,
            new_deadline=new,
            reason="Требуется дополнительное согласование с казахстанской стороной.",
        )
        if spec.extension == "approved":
            extension_decide(actor=secretary, request=request, approve=True, note="Согласовано председателем.")
        elif spec.extension == "rejected":
            extension_decide(
                actor=secretary,
                request=request,
                approve=False,
                note="Срок связан с приёмной кампанией, перенос невозможен.",
            )
    if spec.story in ("reported", "accepted", "returned"):
        files = [_pdf_upload(spec)] if spec.pdf else []
        task_report_progress(actor=executor, task=task, text=_report_text(spec, final=True), files=files, is_final=True)
    if spec.story == "accepted":
        task_change_status(actor=secretary, task=task, status=TaskStatus.ACCEPTED)
    elif spec.story == "returned":
        task_change_status(actor=secretary, task=task, status=TaskStatus.RETURNED, note=spec.note)
    elif spec.story == "cancelled":
        task_change_status(actor=secretary, task=task, status=TaskStatus.CANCELLED, note=spec.note)


def _backdate(task: Task, start: dt.datetime, end: dt.datetime) -> None:
    """Spread everything the story wrote over [start, end], keeping its order, so the past looks like a past.

    The task's creation maps to `start` (and so does anything stamped a moment before it, such as
    status_changed_at), the last thing written to `end`.
    """
    real_start = Task.objects.values_list("created", flat=True).get(pk=task.pk)
    real_end = timezone.now()
    span = max((real_end - real_start).total_seconds(), 1e-6)

    def shift(moment: dt.datetime | None) -> dt.datetime | None:
        if moment is None:
            return None
        if moment <= real_start:
            return start
        return start + (end - start) * ((moment - real_start).total_seconds() / span)

    def move(queryset: Any, *names: str) -> None:
        for row in queryset.values("pk", *names):
            queryset.model.objects.filter(pk=row["pk"]).update(**{n: shift(row[n]) for n in names})

    move(Task.objects.filter(pk=task.pk), "created", "updated", "status_changed_at")
    move(Task.history.filter(id=task.pk), "history_date")
    reports = ProgressReport.objects.filter(task=task)
    move(reports, "created", "updated")
    move(ProgressReport.history.filter(task_id=task.pk), "history_date")
    move(Attachment.objects.filter(report__in=reports), "created", "updated")
    move(ExtensionRequest.objects.filter(task=task), "created", "updated", "decided_at")
    move(ExtensionRequest.history.filter(task_id=task.pk), "history_date", "decided_at")
    move(TaskComment.objects.filter(task=task), "created", "updated")


def _story_window(spec: TaskSpec, deadline: dt.date, assigned: dt.datetime, now: dt.datetime) -> dt.datetime:
    """When the task reached its current state: done around its deadline, open work recently."""
    if spec.story == "new":
        return assigned
    rng = random.Random(f"{spec.event}{spec.number}")  # noqa: S311 - demo timestamps, not security
    if spec.story in ("accepted", "returned", "reported", "cancelled") and deadline < now.date():
        end = _at(deadline, 11) - dt.timedelta(days=rng.randint(0, 3))
    else:
        end = now - dt.timedelta(hours=rng.randint(2, 96))
    return min(max(end, assigned + dt.timedelta(hours=2)), now - dt.timedelta(minutes=5))


def _seed_tasks(
    forum: Event,
    session: Event,
    agencies: dict[str, Agency],
    users: dict[str, User],
    groups: dict[str, WorkingGroup],
    decisions: dict[tuple[int, str], Decision],
    today: dt.date,
    report: SeedReport,
) -> None:
    secretary = users["secretariat"]
    now = timezone.now()
    by_key: dict[tuple[str, str], Task] = {}
    for spec in TASKS:
        event = _spec_event(spec, forum, session)
        key = (spec.event, spec.number)
        existing = Task.objects.filter(event=event, number=spec.number).first()
        if existing is None and spec.decision:
            existing = Task.objects.filter(source_decision=decisions[spec.decision]).first()
        if existing is not None:
            by_key[key] = existing
            continue
        lead = agencies[spec.lead]
        deadline = _spec_deadline(spec, event, agencies, today)
        common: dict[str, Any] = {
            "number": spec.number,
            "priority": spec.priority,
            "working_group": groups.get(spec.group) if spec.group else None,
            "responsible": _reporter(spec, users),
            "parent": by_key[(spec.event, spec.parent)] if spec.parent else None,
        }
        if spec.decision:
            decision = decisions[spec.decision]
            task = task_create_from_decision(actor=secretary, decision=decision, event=event, area=spec.area)
            task = task_update(actor=secretary, task=task, **common)
            assigned = decision.meeting.starts_at + dt.timedelta(days=1)
        else:
            anchored = _anchored_deadline(spec, event, lead)
            task = task_create(
                actor=secretary,
                event=event,
                title=spec.title,
                area=spec.area,
                lead_agency=lead,
                deadline=None if anchored else deadline,
                deadline_anchor=DeadlineAnchor.EVENT_START if anchored else "",
                deadline_offset_days=spec.anchor_days if anchored else None,
                co_executors=[agencies[a] for a in spec.co],
                depends_on=[by_key[(spec.event, d)] for d in spec.depends],
                is_follow_up=spec.follow_up,
                source=TaskSource.ACTION_PLAN,
                **common,
            )
            # The plan was approved at the first meeting; the tasks were assigned the day after.
            first = Meeting.objects.filter(number=1, committee__events=event).first()
            assigned = (first.starts_at if first else now - dt.timedelta(days=56)) + dt.timedelta(days=1)
        _play_story(spec, task, users, event, today)
        task.refresh_from_db()
        _backdate(task, assigned, _story_window(spec, task.deadline, assigned, now))
        by_key[key] = task
        report.add("tasks")


def _anchored_deadline(spec: TaskSpec, event: Event, lead: Agency) -> bool:
    """Use a deadline relative to the event only where it lands on a working day inside the event."""
    if spec.anchor_days is None:
        return False
    day = next_working_day(calendar_country(lead), event.start_date + dt.timedelta(days=spec.anchor_days))
    return day <= event.end_date


# ---------------------------------------------------------------------------------------------------------------
# Entry points


@transaction.atomic
def demo_seed(*, forum_date: dt.date | None = None, today: dt.date | None = None) -> SeedReport:
    """Load the demo data; rows that already exist (by natural key) are left untouched."""
    today = today or timezone.localdate()
    report = SeedReport()
    data_changed()  # the backdating below writes with update(), which sends no model signals
    _seed_calendar(today, report)
    # Six weeks ahead, on a working day: a default landing in the New Year holidays moves past them.
    forum_start = forum_date or next_working_day(Country.RU, today + dt.timedelta(days=FORUM_LEAD_DAYS))
    agencies = _seed_agencies(report)
    users = _seed_people(agencies, report)
    venues = _seed_venues(report)
    forum, session = _seed_events(forum_start, report)
    _seed_programme(forum, session, venues, report)
    _seed_delegations(forum, session, report)
    committee, groups = _seed_committee(forum, session, users, report)
    decisions = _seed_meetings(committee, forum, session, agencies, users, today, report)
    _seed_tasks(forum, session, agencies, users, groups, decisions, today, report)
    return report


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(username, role, agency, time zone) of the seeded people: the five demo accounts first."""
    order = {p.username: i for i, p in enumerate(PEOPLE)}
    users = User.objects.filter(username__in=order).select_related("agency")
    rows = sorted(users, key=lambda u: order[u.username])
    return [(u.username, u.get_role_display(), u.agency.short_name if u.agency else "—", u.time_zone) for u in rows]


GENERATED_VERBS = [
    "Подготовить справку",
    "Согласовать перечень",
    "Обеспечить подготовку",
    "Проработать вопрос",
    "Направить предложения",
    "Организовать совещание",
]
GENERATED_OBJECTS = [
    "по логистике на Иртыше",
    "по речному туризму",
    "по пунктам пропуска",
    "по семеноводству",
    "по машиностроительной кооперации",
    "по поставкам нефтехимии",
    "по обмену студентами",
    "по молодёжной программе",
    "по размещению делегаций",
]
GENERATED_STATUSES = [
    (TaskStatus.ASSIGNED, 35),
    (TaskStatus.IN_PROGRESS, 30),
    (TaskStatus.REPORTED, 10),
    (TaskStatus.ACCEPTED, 15),
    (TaskStatus.RETURNED, 7),
    (TaskStatus.CANCELLED, 3),
]


def _next_generated_number() -> int:
    numbers = Task.objects.filter(number__startswith=GENERATED_PREFIX).values_list("number", flat=True)
    # Compared as numbers: past 999999 the text order would be wrong.
    suffixes = (n[len(GENERATED_PREFIX) :] for n in numbers)
    return max((int(s) for s in suffixes if s.isdigit()), default=0) + 1


def _working_days(country: str, start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if is_working_day(country, day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@transaction.atomic
def demo_tasks_generate(*, count: int, today: dt.date | None = None, seed: int | None = None) -> int:
    """Add `count` generated tasks for benchmarks, with bulk inserts.

    They skip the services (one INSERT per thousand rows instead of several queries per task) but keep every
    rule: deadlines are working days inside the event unless marked as a follow-up, co-executors differ from the
    lead. History is kept: one "created" record per task and its co-executor snapshot, also written in bulk.
    Requires demo_seed to have run (it needs the events, agencies and the secretariat).
    """
    if count <= 0:
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    events = list(Event.objects.filter(kind__in=[EventKind.FORUM, EventKind.COMMISSION], number__in=["XXII", "27"]))
    agencies = list(Agency.objects.filter(is_active=True).order_by("pk"))
    secretary = User.objects.get(username="secretariat")
    groups = list(WorkingGroup.objects.filter(committee__events__in=events).distinct())
    start_number = _next_generated_number()
    first_day = today - dt.timedelta(days=30)
    last_day = max(e.end_date for e in events)
    days = {c: _working_days(c, first_day, last_day + dt.timedelta(days=60)) for c in (Country.RU, Country.KZ)}
    statuses, weights = zip(*GENERATED_STATUSES, strict=True)
    now = timezone.now()

    tasks: list[Task] = []
    co_pairs: list[list[int]] = []
    for offset in range(count):
        event = rng.choice(events)
        lead = rng.choice(agencies)
        country = calendar_country(lead)
        follow_up = rng.random() < 0.05
        if follow_up:
            choices = [d for d in days[country] if d > event.end_date] or days[country]
        else:
            choices = [d for d in days[country] if d <= event.end_date] or [event.end_date]
        number = f"{GENERATED_PREFIX}{start_number + offset:06d}"
        tasks.append(
            Task(
                event=event,
                number=number,
                area=rng.choice(Area.values),
                working_group=rng.choice(groups) if groups and rng.random() < 0.5 else None,
                title=f"{rng.choice(GENERATED_VERBS)} {rng.choice(GENERATED_OBJECTS)} (№ {number})",
                lead_agency=lead,
                controller=secretary,
                created_by=secretary,
                deadline=rng.choice(choices),
                is_follow_up=follow_up,
                priority=rng.choice(Priority.values),
                status=rng.choices(statuses, weights)[0],
                status_changed_at=now,
                source=TaskSource.ADHOC,
            )
        )
        others = [a.pk for a in agencies if a.pk != lead.pk]
        co_pairs.append(rng.sample(others, k=min(len(others), rng.choice((0, 0, 1, 1, 2)))))

    Task.objects.bulk_create(tasks, batch_size=1000)
    history = Task.history.bulk_history_create(
        tasks, batch_size=1000, default_user=secretary, default_change_reason="seed_demo --tasks", default_date=now
    )
    through = Task.co_executors.through
    history_through = apps.get_model("workplan", "HistoricalTask_co_executors")
    rows, owners = [], []
    for task, record, co in zip(tasks, history, co_pairs, strict=True):
        for agency_id in co:
            rows.append(through(task_id=task.pk, agency_id=agency_id))
            owners.append(record.pk)
    through.objects.bulk_create(rows, batch_size=2000)
    # The history snapshot of a co-executor row carries that row's id, so it is written after the rows.
    history_through.objects.bulk_create(
        [
            history_through(id=row.pk, history_id=owner, task_id=row.task_id, agency_id=row.agency_id)
            for row, owner in zip(rows, owners, strict=True)
        ],
        batch_size=2000,
    )
    data_changed()  # bulk inserts send no model signals: cached pages must not keep the old plan
    return count


def demo_overview() -> dict[str, int]:
    """A few figures for the command's summary."""
    today = timezone.localdate()
    tasks = Task.objects.all()
    return {
        "tasks": tasks.count(),
        "open": tasks.open().count(),
        "overdue": tasks.overdue(today).count(),
        "due in 14 days": tasks.due_between(today, today + dt.timedelta(days=14)).count(),
        "closed": tasks.filter(status__in=CLOSED_STATUSES).count(),
        "pending extensions": ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).count(),
    }
